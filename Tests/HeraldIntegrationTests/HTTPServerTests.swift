import Foundation
import HeraldCore
import HeraldTestSupport
import Synchronization
import Testing

/// The libmicrohttpd server against real sockets: requests as a responder sees them, the limits
/// that protect it on the internet (body, headers, stalled clients, connections per client), many
/// requests answered at once on few threads, and a graceful drain.
@Suite(.serialized) struct HTTPServerTests {
    /// Echoes what it was given, as JSON, so a test can check the request the responder saw.
    struct Echo: HTTPResponder {
        func respond(to request: HTTPRequest) async -> HTTPResponse {
            let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
            var response = HTTPResponse.text(
                201,
                "\(request.method) \(request.path) [\(query)] target=\(request.target) from=\(request.remoteAddress) "
                    + "type=\(request.mediaType ?? "-") body=\(String(decoding: request.body, as: UTF8.self))")
            response.headers.add("X-Echo", "yes")
            return response
        }
    }

    /// Holds every request until `release()`, counting those waiting.
    final class Gate: HTTPResponder {
        private let state = Mutex<(waiting: Int, released: Bool, continuations: [CheckedContinuation<Void, Never>])>((0, false, []))
        var waiting: Int { state.withLock { $0.waiting } }
        func release() {
            let continuations = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.released = true
                defer { state.continuations = [] }
                return state.continuations
            }
            for continuation in continuations { continuation.resume() }
        }
        func respond(to request: HTTPRequest) async -> HTTPResponse {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    state.waiting += 1
                    if state.released { return true }
                    state.continuations.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
            return .text(200, "released \(request.path)\n")
        }
    }

    private func server(_ responder: any HTTPResponder, limits: HTTPServerLimits = HTTPServerLimits(), observer: (@Sendable (HTTPExchange) -> Void)? = nil) throws -> (HTTPServer, Int) {
        let server = HTTPServer(
            name: "test", host: "127.0.0.1", port: 0, limits: limits, responder: responder, logger: Logger(service: "test", minimumLevel: .error),
            observer: observer)
        return (server, try server.start())
    }

    @Test func aRequestReachesTheResponderAsSentAndKeepAliveServesTheNextOnTheSameConnection() async throws {
        let seen = Mutex<[HTTPExchange]>([])
        let (server, port) = try server(Echo(), observer: { exchange in seen.withLock { $0.append(exchange) } })
        defer { Task { await server.stop() } }
        let connection = try #require(RawHTTPConnection(port: port))
        let first = try #require(connection.request(
            "POST", "/v1/a%20b?x=1&name=two+words&e=%E3%81%82", headers: [("Content-Type", "application/json; charset=utf-8")],
            body: Array("{\"k\":1}".utf8)))
        #expect(first.status == 201)
        #expect(first.header("X-Echo") == "yes")
        #expect(first.text == "POST /v1/a b [x=1&name=two words&e=あ] target=/v1/a%20b?x=1&name=two+words&e=%E3%81%82 from=127.0.0.1 type=application/json body={\"k\":1}")
        let second = try #require(connection.request("GET", "/again"))
        #expect(second.status == 201)
        #expect(second.text.hasPrefix("GET /again [] target=/again"))
        #expect(try await eventually { seen.withLock { $0.count } == 2 })
        #expect(seen.withLock { $0.map(\.status) } == [201, 201])
        #expect(seen.withLock { $0.allSatisfy { !$0.answeredByServer } })
    }

    @Test func aBodyOverTheLimitIsRefusedWith413WithoutReachingTheResponderAndTheServerGoesOn() async throws {
        let seen = Mutex<[HTTPExchange]>([])
        let (server, port) = try server(Echo(), limits: HTTPServerLimits(maximumBodyBytes: 1000), observer: { exchange in seen.withLock { $0.append(exchange) } })
        defer { Task { await server.stop() } }
        // Declared too large: refused before the body is sent.
        let declared = try #require(RawHTTPConnection(port: port))
        #expect(declared.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"))
        #expect(declared.readResponse()?.status == 413)
        // Chunked, with no length up front: refused once the bytes pass the limit.
        let chunked = try #require(RawHTTPConnection(port: port))
        let chunk = String(repeating: "a", count: 600)
        #expect(chunked.send("POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n"))
        #expect(chunked.readResponse()?.status == 413)
        // Exactly at the limit: served.
        let fits = try #require(RawHTTPConnection(port: port))
        #expect(fits.request("POST", "/fits", body: [UInt8](repeating: 98, count: 1000))?.status == 201)
        #expect(try await eventually { seen.withLock { $0.count } == 3 })
        #expect(seen.withLock { $0.map { "\($0.status) \($0.answeredByServer)" } } == ["413 true", "413 true", "201 false"])
    }

    @Test func headersOverTheLimitAreRefusedAndTheServerGoesOn() async throws {
        let (server, port) = try server(Echo(), limits: HTTPServerLimits(maximumHeaderBytes: 4096))
        defer { Task { await server.stop() } }
        let connection = try #require(RawHTTPConnection(port: port))
        let response = connection.request("GET", "/", headers: [("X-Padding", String(repeating: "p", count: 8000))])
        // libmicrohttpd answers 431 (or closes); either way the responder never sees it.
        #expect(response.map { $0.status == 431 || $0.status == 413 } ?? true)
        let next = try #require(RawHTTPConnection(port: port))
        #expect(next.request("GET", "/after")?.status == 201)
    }

    @Test func aStalledClientIsClosedAfterTheIdleTimeoutWhileOthersAreServed() async throws {
        let (server, port) = try server(Echo(), limits: HTTPServerLimits(idleTimeout: .seconds(1), threads: 1))
        defer { Task { await server.stop() } }
        let started = ContinuousClock.now
        let stalled = try #require(RawHTTPConnection(port: port, timeout: .seconds(5)))
        #expect(stalled.send("GET /slow HTTP/1.1\r\nHost: x\r\nX-A: "))
        // While it stalls, on the same polling thread, another client is answered at once.
        let other = try #require(RawHTTPConnection(port: port))
        #expect(other.request("GET", "/fast")?.status == 201)
        #expect(stalled.closesWithin(.seconds(4)))
        #expect(ContinuousClock.now - started >= .milliseconds(900))
    }

    @Test func oneClientCannotHoldMoreConnectionsThanItsShare() async throws {
        let (server, port) = try server(Echo(), limits: HTTPServerLimits(idleTimeout: .seconds(2), maximumConnectionsPerClient: 2))
        defer { Task { await server.stop() } }
        let first = try #require(RawHTTPConnection(port: port))
        let second = try #require(RawHTTPConnection(port: port))
        #expect(first.send("GET /a HTTP/1.1\r\n"))
        #expect(second.send("GET /b HTTP/1.1\r\n"))
        // The third is accepted by the kernel and closed by the server without an answer.
        let third = try #require(RawHTTPConnection(port: port))
        third.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(third.readResponse() == nil)
        // Once the stalled two time out, the client is served again.
        #expect(first.closesWithin(.seconds(4)))
        #expect(second.closesWithin(.seconds(2)))
        // The server counts a connection out when its completion is reported, a moment after the
        // client sees the close: a new connection is served once that has happened.
        #expect(try await eventually { RawHTTPConnection(port: port)?.request("GET", "/d")?.status == 201 })
    }

    @Test func manyRequestsWaitOnTheirRespondersAtOnceOnOneThread() async throws {
        let gate = Gate()
        let (server, port) = try server(gate, limits: HTTPServerLimits(threads: 1))
        defer { Task { await server.stop() } }
        let count = 64
        let statuses = Mutex<[Int]>([])
        let threads = (0..<count).map { index in
            Thread {
                let status = RawHTTPConnection(port: port)?.request("GET", "/r\(index)")?.status ?? 0
                statuses.withLock { $0.append(status) }
            }
        }
        threads.forEach { $0.start() }
        // All of them reach the responder before any is answered: none holds the polling thread.
        #expect(try await eventually(timeout: 10) { gate.waiting == count })
        gate.release()
        #expect(try await eventually(timeout: 10) { statuses.withLock { $0.count } == count })
        #expect(statuses.withLock { $0 } == [Int](repeating: 200, count: count))
    }

    @Test func stopLetsARequestInFlightFinishThenRefusesNewOnes() async throws {
        let gate = Gate()
        let (server, port) = try server(gate, limits: HTTPServerLimits(drainTimeout: .seconds(10)))
        let answer = Mutex<Int?>(nil)
        let client = Thread {
            let status = RawHTTPConnection(port: port, timeout: .seconds(15))?.request("GET", "/in-flight")?.status ?? 0
            answer.withLock { $0 = status }
        }
        client.start()
        #expect(try await eventually { gate.waiting == 1 })
        let stopping = Task { await server.stop() }
        #expect(try await eventually { server.requestsInFlight == 1 })
        gate.release()
        await stopping.value
        #expect(answer.withLock { $0 } == 200)
        #expect(RawHTTPConnection(port: port)?.request("GET", "/late") == nil)
    }

    @Test func aResponderThatOutlivesTheDrainTimeoutIsAnswered503AndTheServerStops() async throws {
        let gate = Gate()
        let (server, port) = try server(gate, limits: HTTPServerLimits(drainTimeout: .milliseconds(300)))
        let answer = Mutex<Int?>(nil)
        let client = Thread {
            let status = RawHTTPConnection(port: port, timeout: .seconds(10))?.request("GET", "/stuck")?.status ?? 0
            answer.withLock { $0 = status }
        }
        client.start()
        #expect(try await eventually { gate.waiting == 1 })
        await server.stop()
        #expect(try await eventually { answer.withLock { $0 } != nil })
        #expect(answer.withLock { $0 } == 503)
        gate.release()
    }

    @Test func formEncodingDecodesQueriesAndBodiesAsBrowsersSendThem() {
        let pairs = HTTPFormEncoding.decode(Substring("a=1&b=two+words&c=%E6%97%A5%2B&flag&&d=%zz"))
        #expect(pairs.map { "\($0.name)=\($0.value)" } == ["a=1", "b=two words", "c=日+", "flag=", "d=%zz"])
        let split = HTTPFormEncoding.split(target: "/p%20q/r?x=%2F#frag")
        #expect(split.path == "/p q/r")
        #expect(split.query.map(\.value) == ["/"])
        #expect(HTTPFormEncoding.encode([("k y", "v&w=日*~")]) == "k+y=v%26w%3D%E6%97%A5*%7E")
    }
}
