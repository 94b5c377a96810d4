import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// The Segment Tracking API's routes, called through a router with an in-memory writer.
@Suite struct SegmentTrackingAPITests {
    static let key = "wk_test_" + UUID().uuidString

    static func api(_ writer: InMemoryEdgeStreamWriter, rate: Double? = nil, burst: Double? = nil, rateClock: (@Sendable () -> Double)? = nil) -> HTTPRouter {
        var router = HTTPRouter()
        let configuration = SegmentAPIConfiguration(writeKeys: SegmentWriteKeys(["other-key", key]), ratePerKey: rate, burst: burst)
        SegmentTrackingAPI(configuration: configuration, writer: writer, logger: Logger(service: "test", minimumLevel: .error), rateClock: rateClock)
            .register(in: &router)
        return router
    }

    static func request(
        _ path: String, _ body: String, key: String? = SegmentTrackingAPITests.key, type: String? = "application/json", gzip: Bool = false
    ) -> HTTPRequest {
        var headers = HTTPHeaders()
        if let type { headers.add("Content-Type", type) }
        if let key { headers.add("Authorization", "Basic " + Data((key + ":").utf8).base64EncodedString()) }
        var bytes = Array(body.utf8)
        if gzip {
            headers.add("Content-Encoding", "gzip")
            bytes = Gzip.deflate(bytes)
        }
        return HTTPRequest(method: "POST", path: path, headers: headers, body: bytes)
    }

    static func json(_ bytes: [UInt8]) throws -> JSONValue { try JSONValue.parse(bytes) }

    static let now = ISO8601.format(Date())

    @Test(arguments: [
        ("track", #"{"userId":"u1","event":"Signed Up","properties":{"plan":"pro"}}"#),
        ("identify", #"{"userId":"u1","traits":{"email":"u1@example.com"}}"#),
        ("page", #"{"anonymousId":"a1","name":"Pricing","properties":{"url":"https://x/pricing"}}"#),
        ("screen", #"{"userId":"u1","name":"Home"}"#),
        ("group", #"{"userId":"u1","groupId":"g1","traits":{"plan":"team"}}"#),
        ("alias", #"{"userId":"u1","previousId":"a1"}"#),
    ])
    func eachEndpointSetsTheTypeAndStoresOneValidatedMessage(_ endpoint: String, _ body: String) async throws {
        let writer = InMemoryEdgeStreamWriter()
        let response = await Self.api(writer).respond(to: Self.request("/v1/" + endpoint, body))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"success":true}"#)
        #expect(writer.ingested.count == 1 && writer.rejected.isEmpty)
        let stored = try Self.json(try #require(writer.ingested.first))
        #expect(stored["type"]?.stringValue == endpoint)
        #expect(stored["messageId"]?.stringValue?.hasPrefix("api-") == true, "a missing messageId is filled in")
        let received = try #require(stored["receivedAt"]?.stringValue.flatMap(ISO8601.parse))
        #expect(abs(received.timeIntervalSinceNow) < 60)
        #expect(stored["timestamp"] == stored["receivedAt"], "no timestamp: the receive time")
        let event = try Event.validate(payload: try #require(writer.ingested.first))
        #expect(event.type.rawValue == endpoint, "the ingestor accepts it as the same type")
    }

    @Test func aBatchStoresValidMessagesInOneCallAndKeepsInvalidOnesWithTheirReason() async throws {
        let writer = InMemoryEdgeStreamWriter()
        let body = #"{"batch":[{"type":"identify","userId":"u1","messageId":"m1","traits":{"email":"a@b.c"}},"# +
            #"{"type":"track","userId":"u1","messageId":"m2"},"# +
            #"{"type":"track","userId":"u1","messageId":"m3","event":"Order Completed"},"# +
            #"{"type":"pageview","userId":"u1","messageId":"m4"}, 7],"sentAt":"\#(Self.now)"}"#
        for path in ["/v1/batch", "/v1/import"] {
            let response = await Self.api(writer).respond(to: Self.request(path, body))
            #expect(response.status == 200, "Segment answers 200 and drops invalid messages; Herald keeps them")
        }
        #expect(writer.ingested.count == 4)
        #expect(try writer.ingested.map { try Self.json($0)["messageId"]?.stringValue } == ["m1", "m3", "m1", "m3"])
        #expect(writer.rejected.map(\.rejection.code) == ["track_without_event", "unknown_type", "not_an_object"] + ["track_without_event", "unknown_type", "not_an_object"])
        #expect(writer.rejected.map(\.route) == Array(repeating: "segment.batch", count: 3) + Array(repeating: "segment.import", count: 3))
        let kept = try Self.json(writer.rejected[0].payload)
        #expect(kept["receivedAt"] == nil && kept["messageId"]?.stringValue == "m2", "a rejection keeps the message as sent")
    }

    @Test func anIdentifysContextTraitsAreItsTraitsWhenItHasNone() async throws {
        let writer = InMemoryEdgeStreamWriter()
        let router = Self.api(writer)
        #expect(await router.respond(to: Self.request("/v1/identify", #"{"userId":"u1","context":{"traits":{"email":"r@x.y"}}}"#)).status == 200)
        #expect(await router.respond(to: Self.request("/v1/identify", #"{"userId":"u1","traits":{"email":"own@x.y"},"context":{"traits":{"email":"r@x.y"}}}"#)).status == 200)
        let traits = try writer.ingested.map { try Event.validate(payload: $0).traits["email"] }
        #expect(traits == ["r@x.y", "own@x.y"], "RudderStack's SDKs send identify traits in context.traits")
    }

    @Test func clockSkewIsCorrectedFromSentAt() async throws {
        let writer = InMemoryEdgeStreamWriter()
        // The client's clock is an hour ahead: it stamped the event 10 s before it sent it.
        let clientNow = Date().addingTimeInterval(3600)
        let body = #"{"userId":"u1","event":"E","timestamp":"\#(ISO8601.format(clientNow.addingTimeInterval(-10)))","sentAt":"\#(ISO8601.format(clientNow))"}"#
        #expect(await Self.api(writer).respond(to: Self.request("/v1/track", body)).status == 200)
        let stored = try Self.json(try #require(writer.ingested.first))
        let timestamp = try #require(stored["timestamp"]?.stringValue.flatMap(ISO8601.parse))
        let received = try #require(stored["receivedAt"]?.stringValue.flatMap(ISO8601.parse))
        #expect(abs(received.timeIntervalSince(timestamp) - 10) < 0.01, "timestamp = receivedAt − (sentAt − timestamp)")
        #expect(stored["originalTimestamp"]?.stringValue.flatMap(ISO8601.parse).map { abs($0.timeIntervalSince(clientNow) + 10) < 0.01 } == true)
    }

    @Test func gzipBodiesAreInflated() async throws {
        let writer = InMemoryEdgeStreamWriter()
        let body = #"{"batch":[{"type":"track","userId":"u1","event":"Zipped"}]}"#
        #expect(await Self.api(writer).respond(to: Self.request("/v1/batch", body, gzip: true)).status == 200)
        #expect(try writer.ingested.map { try Self.json($0)["event"]?.stringValue } == ["Zipped"])
        var corrupt = Self.request("/v1/batch", body, gzip: true)
        corrupt.body = Array(corrupt.body.prefix(corrupt.body.count / 2))
        let response = await Self.api(writer).respond(to: corrupt)
        #expect(try response.status == 400 && (Self.json(response.body))["code"] == "bad_gzip")
        #expect(writer.ingested.count == 1)
    }

    @Test func aGzipBombIsRefusedAtTheLimitWithoutInflatingIt() async throws {
        let bomb = Gzip.deflate([UInt8](repeating: 32, count: 50 << 20))
        #expect(bomb.count < 100_000, "50 MiB of spaces compress to \(bomb.count) bytes")
        #expect(throws: GzipError.tooLarge(limit: 1000)) { try Gzip.inflate(bomb, limit: 1000) }
        let writer = InMemoryEdgeStreamWriter()
        var request = Self.request("/v1/batch", "")
        request.headers.add("Content-Encoding", "gzip")
        request.body = bomb
        let response = await Self.api(writer).respond(to: request)
        #expect(try response.status == 400 && (Self.json(response.body))["code"] == "too_large")
        #expect(writer.ingested.isEmpty && writer.rejected.isEmpty)
    }

    @Test func segmentsSizeLimitsAnswer400() async throws {
        let writer = InMemoryEdgeStreamWriter()
        let blob = String(repeating: "x", count: 33 * 1024)
        let single = await Self.api(writer).respond(to: Self.request("/v1/track", #"{"userId":"u","event":"E","properties":{"b":"\#(blob)"}}"#))
        #expect(try single.status == 400 && (Self.json(single.body))["code"] == "too_large")
        let items = (0..<20).map { _ in #"{"type":"track","userId":"u","event":"E","properties":{"b":"\#(String(repeating: "y", count: 30_000))"}}"# }
        let batch = await Self.api(writer).respond(to: Self.request("/v1/batch", #"{"batch":[\#(items.joined(separator: ","))]}"#))
        #expect(try batch.status == 400 && (Self.json(batch.body))["message"]?.stringValue?.contains("\(500 * 1024)") == true)
        let oneBig = await Self.api(writer).respond(to: Self.request("/v1/batch", #"{"batch":[{"type":"track","userId":"u","messageId":"ok","event":"E"},{"type":"track","userId":"u","event":"E","properties":{"b":"\#(blob)"}}]}"#))
        #expect(oneBig.status == 200)
        #expect(writer.ingested.count == 1 && writer.rejected.map(\.rejection.code) == ["too_large"], "the valid message of the batch is kept")
    }

    @Test(arguments: [
        (#"{"userId":"u","event":"#, "invalid_json"),
        ("[1,2]", "not_an_object"),
        (#"{"batch":{"type":"track"}}"#, "batch_not_an_array"),
    ])
    func malformedBodiesAnswer400(_ body: String, _ code: String) async throws {
        let writer = InMemoryEdgeStreamWriter()
        let response = await Self.api(writer).respond(to: Self.request(body.contains("batch") ? "/v1/batch" : "/v1/track", body))
        #expect(response.status == 400)
        let json = try Self.json(response.body)
        #expect(json["success"] == false && json["code"]?.stringValue == code)
        #expect(writer.ingested.isEmpty && writer.rejected.isEmpty)
    }

    @Test func theContentTypeMustBeJSONOrPlainText() async throws {
        let writer = InMemoryEdgeStreamWriter()
        let body = #"{"userId":"u","event":"E"}"#
        for type in ["application/x-www-form-urlencoded", nil] {
            let response = await Self.api(writer).respond(to: Self.request("/v1/track", body, type: type))
            #expect(response.status == 415)
        }
        #expect(await Self.api(writer).respond(to: Self.request("/v1/track", body, type: "text/plain;charset=UTF-8")).status == 200, "sendBeacon")
        #expect(await Self.api(writer).respond(to: Self.request("/v1/track", body, type: "application/json; charset=utf-8")).status == 200)
        var deflated = Self.request("/v1/track", body)
        deflated.headers.add("Content-Encoding", "br")
        #expect(await Self.api(writer).respond(to: deflated).status == 415)
        #expect(writer.ingested.count == 2)
    }

    @Test func theWriteKeyIsTheBasicUserOrTheBodysWriteKey() async throws {
        let writer = InMemoryEdgeStreamWriter()
        let router = Self.api(writer)
        let body = #"{"userId":"u","event":"E"}"#
        for key in [nil, "wrong", Self.key + "x", String(Self.key.dropLast())] {
            let response = await router.respond(to: Self.request("/v1/track", body, key: key))
            #expect(response.status == 401, "\(key ?? "no key")")
            #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Basic") == true)
        }
        var garbage = Self.request("/v1/track", body, key: nil)
        garbage.headers.add("Authorization", "Bearer " + Self.key)
        #expect(await router.respond(to: garbage).status == 401)
        #expect(await router.respond(to: Self.request("/v1/track", body, key: "other-key")).status == 200, "every configured key works")
        let inBody = await router.respond(to: Self.request("/v1/batch", #"{"writeKey":"\#(Self.key)","batch":[{"type":"track","userId":"u","event":"E","writeKey":"\#(Self.key)"}]}"#, key: nil))
        #expect(inBody.status == 200)
        let wrongInBody = await router.respond(to: Self.request("/v1/track", #"{"writeKey":"nope","userId":"u","event":"E"}"#, key: nil))
        #expect(wrongInBody.status == 401)
        #expect(writer.ingested.count == 2)
        #expect(!writer.ingested.contains { String(decoding: $0, as: UTF8.self).contains(Self.key) }, "the key is never stored")
        #expect(await router.respond(to: HTTPRequest(method: "GET", path: "/v1/track")).status == 405)
    }

    @Test func browsersMayCallItCrossOrigin() async throws {
        let writer = InMemoryEdgeStreamWriter()
        let router = Self.api(writer)
        let preflight = await router.respond(to: HTTPRequest(method: "OPTIONS", path: "/v1/batch"))
        #expect(preflight.status == 204 && preflight.headers["Access-Control-Allow-Origin"] == "*")
        #expect(preflight.headers["Access-Control-Allow-Headers"]?.contains("Authorization") == true)
        // analytics.js: text/plain (no preflight), the key in the body.
        let beacon = await router.respond(to: Self.request("/v1/track", #"{"writeKey":"\#(Self.key)","anonymousId":"a","event":"E"}"#, key: nil, type: "text/plain"))
        #expect(beacon.status == 200 && beacon.headers["Access-Control-Allow-Origin"] == "*")
        let refused = await router.respond(to: Self.request("/v1/track", "{}", key: "nope"))
        #expect(refused.status == 401 && refused.headers["Access-Control-Allow-Origin"] == "*", "errors are readable too")
        #expect(writer.ingested.count == 1)
    }

    @Test func writeKeysComeFromTheEnvironmentOrASecretFile() throws {
        let both = try SegmentAPIConfiguration(environment: ["HERALD_EDGE_WRITE_KEYS": " a , b ,", "HERALD_EDGE_RATE_PER_KEY": "50"])
        #expect(both.writeKeys.count == 2 && both.writeKeys.match("b") == 1 && both.writeKeys.match("c") == nil)
        #expect(both.ratePerKey == 50 && both.burst == 50)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try Data("# producers\nkey-one\n\nkey-two\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try SegmentAPIConfiguration(environment: ["HERALD_EDGE_WRITE_KEYS_FILE": file.path])
        #expect(fromFile.writeKeys.match("key-two") == 1 && fromFile.writeKeys.match("# producers") == nil && fromFile.ratePerKey == nil)
        #expect(throws: SegmentAPIConfigurationError.noWriteKeys) { try SegmentAPIConfiguration(environment: ["HERALD_EDGE_WRITE_KEYS": " , "]) }
        #expect(throws: SegmentAPIConfigurationError.bothKeySources) {
            try SegmentAPIConfiguration(environment: ["HERALD_EDGE_WRITE_KEYS": "a", "HERALD_EDGE_WRITE_KEYS_FILE": file.path])
        }
        #expect(throws: SegmentAPIConfigurationError.invalid(variable: "HERALD_EDGE_RATE_PER_KEY", value: "fast", expected: "a number of events ≥ 0")) {
            try SegmentAPIConfiguration(environment: ["HERALD_EDGE_WRITE_KEYS": "a", "HERALD_EDGE_RATE_PER_KEY": "fast"])
        }
        do {
            _ = try SegmentAPIConfiguration(environment: ["HERALD_EDGE_WRITE_KEYS_FILE": "/nonexistent/keys"])
            Issue.record("a missing key file was accepted")
        } catch {
            #expect(error.description.contains("/nonexistent/keys"))
        }
        #expect(try SegmentAPIConfiguration.ifConfigured(environment: [:]) == nil)
    }

    @Test func theTokenBucketRefillsAtItsRate() {
        var bucket = SegmentTokenBucket(rate: 10, capacity: 20, now: 100)
        #expect(bucket.take(15, now: 100) == .admitted)
        #expect(bucket.take(10, now: 100) == .limited(retryAfter: 1))
        #expect(bucket.take(10, now: 100.5) == .admitted, "5 left + 5 refilled")
        #expect(bucket.take(1, now: 100.5) == .limited(retryAfter: 1))
        #expect(bucket.take(500, now: 200) == .admitted, "a batch larger than the burst passes on a full bucket")
        #expect(bucket.take(1, now: 201) == .limited(retryAfter: 48), "… and then the debt is paid at the rate")
    }

    @Test func aKeyOverItsRateGets429WithRetryAfterAndOtherKeysAreNotAffected() async throws {
        let clock = ManualClock(Date())
        let writer = InMemoryEdgeStreamWriter()
        let router = Self.api(writer, rate: 2, burst: 3, rateClock: { clock.now.timeIntervalSince1970 })
        let body = #"{"userId":"u","event":"E"}"#
        for _ in 0..<3 { #expect(await router.respond(to: Self.request("/v1/track", body)).status == 200) }
        let limited = await router.respond(to: Self.request("/v1/track", body))
        #expect(limited.status == 429 && limited.headers["Retry-After"] == "1")
        #expect(await router.respond(to: Self.request("/v1/track", body, key: "other-key")).status == 200)
        clock.advance(by: 0.5)
        #expect(await router.respond(to: Self.request("/v1/track", body)).status == 200)
        #expect(writer.ingested.count == 5)
    }

    @Test func whenRedisIsDownTheAnswerIs503AndNothingIsClaimed() async throws {
        let writer = InMemoryEdgeStreamWriter()
        writer.fail(with: RedisServerError(command: "XADD", message: "secret internal detail"))
        let router = Self.api(writer)
        let response = await router.respond(to: Self.request("/v1/batch", #"{"batch":[{"type":"track","userId":"u","event":"E"},{"type":"track","userId":"u"}]}"#))
        #expect(response.status == 503 && response.headers["Retry-After"] != nil)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(!text.contains("secret") && !text.contains("XADD") && !text.contains("true"))
        writer.fail(with: nil)
        #expect(await router.respond(to: Self.request("/v1/track", #"{"userId":"u","event":"E"}"#)).status == 200)
        #expect(writer.ingested.count == 1 && writer.rejected.isEmpty)
    }
}
