import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldTestSupport

/// The edge's callback, feedback and tracked-link routes on a real `HTTPServer` (libmicrohttpd),
/// in process, writing to the fleet's Redis through `RedisEdgeStreamWriter`, on a port in this
/// suite's range (27000–28999).
final class CallbackEdge: Sendable {
    let server: HTTPServer
    let port: Int
    let metrics: Metrics

    init(fleet: FleetHarness, twilioToken: String, feedbackSecret: String, linkSecret: String) throws {
        let logger = Logger(service: "edge-test", minimumLevel: .error)
        let metrics = Metrics()
        let writer = RedisEdgeStreamWriter(
            connection: fleet.connection(label: "edge"), keyspace: fleet.keyspace,
            rejectedRetention: try StreamRetention.rejected(fleet.keyspace.rejected, environment: [:]))
        var router = HTTPRouter()
        var lastError: (any Error)?
        for _ in 0..<20 {
            let port = Int.random(in: 27000...28999)
            TwilioStatusCallback(authTokens: [Secret(twilioToken)], publicURL: "http://127.0.0.1:\(port)", writer: writer, metrics: metrics, logger: logger)
                .register(in: &router)
            FeedbackWebhook(verifier: try StandardWebhookVerifier(secrets: [Secret(feedbackSecret)]), writer: writer, metrics: metrics, logger: logger)
                .register(in: &router)
            TrackedLinkRoutes(signer: TrackedLinkSigner(secrets: [Secret(linkSecret)])!, writer: writer, metrics: metrics, logger: logger)
                .register(in: &router)
            let server = HTTPServer(name: "edge", host: "127.0.0.1", port: port, responder: router, logger: logger)
            do {
                try server.start()
                self.server = server
                self.port = port
                self.metrics = metrics
                return
            } catch {
                lastError = error
                router = HTTPRouter()
            }
        }
        throw FixtureError.missing("no free edge port in 27000-28999: \(String(describing: lastError))")
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func stop() async { await server.stop() }
}

/// `curl` as a real HTTP client: the status, the headers (lowercased names) and the body.
enum Curl {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func run(_ arguments: [String]) throws -> Response {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-i", "--max-time", "10"] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = Array(output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0...(max(data.count - 4, 0))).first(where: { Array(data[$0..<min($0 + 4, data.count)]) == separator }) else {
            throw FixtureError.missing("curl got no HTTP response for \(arguments)")
        }
        let head = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: Array(data[(end + 4)...]))
    }
}
