import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// A provider-wide rate limit shared by sender replicas through Redis, Retry-After honoured on the
/// shared limiter, and failover to a secondary provider behind a circuit breaker.
@Suite struct RateLimitAndFailoverTests {
    static let hook = #"""
        {"id": "test-hook", "name": "Test hook",
         "trigger": {"behaviour": {"event": "Order Completed"}},
         "entry": {"reentry": "always"},
         "steps": [{"id": "notify", "send": {"channel": "webhook", "template": "hook", "category": "transactional"}}]}
        """#

    static let hookTemplate = ["hook": ["body.mustache": #"{"user":"{{userId}}","order":"{{event.properties.order_id}}"}"#]]

    static let secret = "whsec_" + Data("herald-fleet-test-secret-0123456789".utf8).base64EncodedString()

    /// `count` transactional webhook send requests put straight onto the outboxes, as the evaluator
    /// puts them there, in one pipeline.
    static func enqueueHooks(_ fleet: FleetHarness, _ connection: RedisConnection, count: Int, prefix: String) async throws {
        let commands = (0..<count).map { index in
            let user = "\(prefix)\(index)"
            let request = SendRequest(
                idempotencyKey: "\(prefix)-\(index)", userId: user, journey: "test-hook", instanceId: "i-\(user)", step: "notify",
                channel: .webhook, template: "hook", category: .transactional, context: [:], requestedAt: Date())
            return RedisCommand.xadd(fleet.keyspace.outbox(fleet.keyspace.partition(ofUser: user), .webhook), fields: [("request", request.json.serialized())])
        }
        for reply in try await connection.pipeline(commands) {
            if case .error(let message) = reply { throw RedisServerError(command: "XADD send request", message: message) }
        }
    }

    /// Two webhook-sender replicas posting to `/hook` on `peer` under `HERALD_WEBHOOK_RATE=rate`
    /// (and `_BURST` when given), with the scheduler that brings deferred messages back.
    static func startLimitedSenders(_ fleet: FleetHarness, peer: FleetPeer, config: TestConfig, rate: String, burst: String?) throws {
        var environment = [
            "HERALD_CONFIG_DIR": config.path, "HERALD_WEBHOOK_SECRET": secret, "HERALD_WEBHOOK_URL": peer.baseURL + "/hook",
            "HERALD_WEBHOOK_RATE": rate,
        ]
        if let burst { environment["HERALD_WEBHOOK_BURST"] = burst }
        try fleet.start("herald-scheduler")
        try fleet.start("herald-webhook-sender", environment)
        try fleet.start("herald-webhook-sender", environment)
    }

    static func orders(_ count: Int, prefix: String = "u") -> [String] {
        (0..<count).flatMap { index in
            [TestJourneys.identify("\(prefix)\(index)", messageId: "i-\(prefix)\(index)"),
             TestJourneys.track("\(prefix)\(index)", "Order Completed", messageId: "o-\(prefix)\(index)", properties: #"{"order_id":"o-\#(index)","total":5}"#)]
        }
    }

    @Test(arguments: RedisMode.allCases) func twoSenderReplicasShareOneProviderRateAndDeferInsteadOfSleeping(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let limited = ["HERALD_EMAIL_RATE": "4/s", "HERALD_EMAIL_BURST": "1"]
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler"] { try fleet.start(name) }
        let ports = [try FreePort.find(), try FreePort.find()]
        for port in ports { try fleet.start("herald-email-sender", limited.merging(["HERALD_METRICS_PORT": String(port)]) { $1 }) }
        let users = 12
        try await fleet.produce(connection, Self.orders(users))
        #expect(try await eventually(timeout: 40) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count >= users })
        #expect(try await eventually(timeout: 20) { try await fleet.drained(connection) }, "no deferral left that could send again")
        let deliveries = try await fleet.deliveries(connection)
        let sent = deliveries.filter { $0["status"] == "sent" }
        #expect(sent.count == users, "each message sent exactly once")
        #expect(fleet.emails().count == users)
        let deferred = deliveries.filter { $0["status"] == "deferred" }
        #expect(!deferred.isEmpty && deferred.allSatisfy { $0["reason"]?.contains("rate limit") == true })
        let times = sent.compactMap { $0["sentAt"].flatMap(ISO8601.parse) }.sorted()
        let span = try #require(times.last).timeIntervalSince(try #require(times.first))
        // 12 sends at 4/s with a burst of 1 cannot take less than 11 intervals (2.75 s) across both replicas.
        #expect(span >= 2.5, "sends spread over \(span) s")
        // Each deferral is counted once, for the limited provider, by the replica that deferred it.
        let counted = try ports.map { port in
            let metrics = try #require(LoopbackHTTP.get(port: port, "/metrics")?.body)
            let line = metrics.split(separator: "\n").first { $0.hasPrefix(#"herald_sends_rate_limited_total{channel="email",provider="outbox"} "#) }
            return Int(line?.split(separator: " ").last ?? "0") ?? 0
        }
        #expect(counted.reduce(0, +) == deferred.count, "counted \(counted), recorded \(deferred.count)")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func retryAfterFromTheProviderHoldsTheSharedLimiter(mode: RedisMode) async throws {
        let secret = "whsec_" + Data("herald-fleet-test-secret-0123456789".utf8).base64EncodedString()
        let peer = try await FleetPeer.webhook(secret: secret)
        let config = try TestConfig(templates: Self.hookTemplate)
        let fleet = try FleetHarness(journeys: [Self.hook], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        try fleet.start("herald-webhook-sender", [
            "HERALD_CONFIG_DIR": config.path, "HERALD_WEBHOOK_SECRET": secret, "HERALD_WEBHOOK_URL": peer.baseURL + "/status/429?retry_after=5",
            "HERALD_WEBHOOK_RATE": "100/s", "HERALD_WEBHOOK_BURST": "100",
        ])
        try await fleet.produce(connection, Self.orders(1))
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "retrying" } })
        let key = fleet.keyspace.rateLimit(.webhook, provider: "webhook")
        let tatMicros = try #require(try await connection.send("GET", key).string.flatMap { Int64($0) })
        let retrying = try #require(try await fleet.deliveries(connection).first { $0["status"] == "retrying" })
        let attemptedAt = try #require(retrying["at"].flatMap(ISO8601.parse))
        let heldFor = Double(tatMicros) / 1_000_000 - attemptedAt.timeIntervalSince1970
        // Without the penalty the TAT would sit one emission interval (10 ms) past the attempt. With
        // it: Retry-After (5 s) plus (burst − 1) intervals (99 × 10 ms), so the burst does not all go
        // at once when it ends.
        #expect(heldFor >= 5.9 && heldFor < 30, "the shared limiter is held for the provider's Retry-After: \(heldFor) s")
        #expect(retrying["reason"]?.contains("retry after 5") == true)
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aFailingPrimaryFailsOverToTheSecondaryAndTheBreakerOpens(mode: RedisMode) async throws {
        let secret = "whsec_" + Data("herald-fleet-test-secret-0123456789".utf8).base64EncodedString()
        let peer = try await FleetPeer.webhook(secret: secret)
        let config = try TestConfig(templates: Self.hookTemplate)
        let fleet = try FleetHarness(journeys: [Self.hook], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        let port = try FreePort.find()
        try fleet.start("herald-webhook-sender", [
            "HERALD_CONFIG_DIR": config.path, "HERALD_WEBHOOK_SECRET": secret, "HERALD_WEBHOOK_URL": peer.baseURL + "/status/503",
            "HERALD_WEBHOOK_SECONDARY": "outbox", "HERALD_BREAKER_FAILURES": "2", "HERALD_SEND_CONCURRENCY": "1",
            "HERALD_METRICS_PORT": String(port), "HERALD_METRICS_INTERVAL_MS": "200",
        ])
        let users = 5
        try await fleet.produce(connection, Self.orders(users))
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count >= users })
        let sent = try await fleet.deliveries(connection).filter { $0["status"] == "sent" }
        #expect(sent.count == users)
        #expect(sent.allSatisfy { $0["provider"] == "webhook>outbox-webhook" && $0["detail.provider"] == "outbox-webhook" })
        let files = try FileManager.default.contentsOfDirectory(at: fleet.outbox.appendingPathComponent("webhook"), includingPropertiesForKeys: nil)
        #expect(files.count == users)
        // Two failures open the primary's breaker; later messages skip it for the cool-down.
        #expect(try peer.records().count == 2, "the primary was tried until its breaker opened, then skipped")
        // The metrics say the same: each provider's calls, and the primary's breaker open (2).
        #expect(try await eventually(timeout: 5) {
            (LoopbackHTTP.get(port: port, "/metrics")?.body ?? "").contains(#"herald_circuit_breaker_state{channel="webhook",provider="webhook"} 2"#)
        })
        let metrics = LoopbackHTTP.get(port: port, "/metrics")?.body ?? ""
        #expect(metrics.contains(#"herald_circuit_breaker_state{channel="webhook",provider="outbox-webhook"} 0"#), "\(metrics)")
        #expect(metrics.contains(#"herald_provider_calls_total{provider="webhook",channel="webhook",outcome="retryable",code_class="http_5xx"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"herald_provider_calls_total{provider="outbox-webhook",channel="webhook",outcome="sent",code_class="local"} \#(users)"#), "\(metrics)")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aRateLimitedMessageIsDeferredOnceToTheSlotTheLimiterReservedForIt(mode: RedisMode) async throws {
        let peer = try await FleetPeer.webhook(secret: Self.secret)
        let config = try TestConfig(templates: Self.hookTemplate)
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        let count = 400
        // All queued before the senders start, so the limiter sees them together. The burst is set
        // to 1 so that this test is about deferrals only (the default burst is the next test's).
        try await Self.enqueueHooks(fleet, connection, count: count, prefix: "storm")
        try Self.startLimitedSenders(fleet, peer: peer, config: config, rate: "20/s", burst: "1")
        #expect(try await eventually(timeout: 90) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count >= count })
        #expect(try await eventually(timeout: 20) { try await fleet.drained(connection) }, "no deferral left that could come back")
        let deliveries = try await fleet.deliveries(connection)
        let sent = deliveries.filter { $0["status"] == "sent" }
        #expect(sent.count == count && Set(sent.compactMap { $0["id"] }).count == count, "each message sent exactly once")
        #expect(try peer.records().count == count)
        let deferred = deliveries.filter { $0["status"] == "deferred" }
        let deferredMessages = Set(deferred.compactMap { $0["id"] })
        // Each denied message is scheduled once, at the slot the limiter reserved for it; only the
        // burst (1) went at once.
        #expect(deferred.count == deferredMessages.count, "\(deferred.count) deferred records for \(deferredMessages.count) deferred messages of \(count)")
        #expect(deferred.count == count - 1, "\(deferred.count) deferred records for \(count) messages at 20/s, burst 1")
        let slots = deferred.compactMap { $0["until"].flatMap(ISO8601.parse) }.sorted()
        #expect(slots.count == deferred.count)
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 0.049 }, "one emission interval (50 ms) between reserved slots")
        // A message that came back at its slot went out then, without asking the limiter again.
        let slotOf = Dictionary(deferred.compactMap { record in record["id"].flatMap { id in record["until"].flatMap(ISO8601.parse).map { (id, $0) } } }) { first, _ in first }
        let early = sent.filter { record in
            guard let id = record["id"], let slot = slotOf[id], let sentAt = record["sentAt"].flatMap(ISO8601.parse) else { return false }
            return sentAt < slot
        }
        #expect(early.isEmpty, "\(early.count) messages sent before their reserved slot")
        #expect(sent.filter { $0["rateLimitSlot"] != nil }.count == count - 1, "every deferred message was sent on its reservation")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func theDefaultBurstKeepsEveryOneSecondWindowAtTheConfiguredRate(mode: RedisMode) async throws {
        let peer = try await FleetPeer.webhook(secret: Self.secret)
        let config = try TestConfig(templates: Self.hookTemplate)
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        let count = 60
        try await Self.enqueueHooks(fleet, connection, count: count, prefix: "burst")
        try Self.startLimitedSenders(fleet, peer: peer, config: config, rate: "20/s", burst: nil)
        #expect(try await eventually(timeout: 40) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count >= count })
        #expect(try await eventually(timeout: 20) { try await fleet.drained(connection) })
        let deliveries = try await fleet.deliveries(connection)
        // The limiter's grants: the messages that went at once (the burst) and every reserved slot.
        let deferred = deliveries.filter { $0["status"] == "deferred" }
        let atOnce = count - Set(deferred.compactMap { $0["id"] }).count
        #expect(atOnce == 1, "\(atOnce) messages went at once: the default burst is 1")
        let slots = deferred.compactMap { $0["until"].flatMap(ISO8601.parse) }.sorted()
        // 21 grants in a row span at least 1 s, so no 1 s window of grants holds more than 20.
        let densest = slots.indices.dropLast(20).map { slots[$0 + 20].timeIntervalSince(slots[$0]) }.min() ?? 0
        #expect(densest >= 0.999, "21 consecutive reserved slots span only \(densest) s")
        // At the provider, the first second after the first request: it carried the burst and a
        // second's worth more (40 at 20/s) when the default burst was a second's worth. Arrival
        // times jitter by the scheduler's and the sender's latency, so the request of the slot 1 s
        // after the first grant can arrive just inside that second (the first call also sets up
        // the connection): hence the one allowed for.
        let arrivals = try peer.records().compactMap { $0["receivedAt"]?.numberValue }.sorted()
        #expect(arrivals.count == count)
        let first = try #require(arrivals.first)
        let firstSecond = arrivals.filter { $0 < first + 1 }.count
        #expect(firstSecond <= 20 + 1, "the first second carried \(firstSecond) requests at 20/s")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aWebhookFailsOverToASecondWebhookEndpointWithItsOwnURLAndSecret(mode: RedisMode) async throws {
        let primarySecret = Self.secret
        let secondarySecret = "whsec_" + Data("herald-secondary-endpoint-secret-42".utf8).base64EncodedString()
        let primary = try await FleetPeer.webhook(secret: primarySecret)
        let secondary = try await FleetPeer.webhook(secret: secondarySecret)
        let config = try TestConfig(templates: Self.hookTemplate)
        // The secondary's secret from a file, as a docker secret would hold it.
        let secretFile = config.directory.appendingPathComponent("secondary-webhook-secret")
        try Data((secondarySecret + "\n").utf8).write(to: secretFile)
        let fleet = try FleetHarness(journeys: [Self.hook], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        try fleet.start("herald-webhook-sender", [
            "HERALD_CONFIG_DIR": config.path, "HERALD_WEBHOOK_SECRET": primarySecret, "HERALD_WEBHOOK_URL": primary.baseURL + "/status/503",
            "HERALD_WEBHOOK_SECONDARY": "webhook", "HERALD_WEBHOOK_SECONDARY_URL": secondary.baseURL + "/hook",
            "HERALD_WEBHOOK_SECONDARY_SECRET_FILE": secretFile.path,
            "HERALD_BREAKER_FAILURES": "2", "HERALD_SEND_CONCURRENCY": "1",
        ])
        let users = 5
        try await fleet.produce(connection, Self.orders(users))
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count >= users })
        let sent = try await fleet.deliveries(connection).filter { $0["status"] == "sent" }
        #expect(sent.count == users)
        #expect(sent.allSatisfy { $0["provider"] == "webhook>webhook-secondary" && $0["detail.provider"] == "webhook-secondary" }, "\(sent.map { $0["provider"] ?? "" })")
        // The second endpoint got every message, signed with its own secret (its verifier knows no other).
        let received = try secondary.records()
        #expect(received.count == users)
        #expect(received.allSatisfy { $0["verified"]?.boolValue == true && $0["path"]?.stringValue == "/hook" })
        #expect(Set(received.compactMap { $0["headers"]?["webhook-id"]?.stringValue }) == Set(sent.compactMap { $0["id"] }))
        // The first was tried until its breaker opened (two failures), then skipped.
        #expect(try primary.records().count == 2)
        _ = fleet.stopAll()
    }
}
