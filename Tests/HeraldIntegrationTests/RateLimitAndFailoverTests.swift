import Foundation
import HeraldCore
import HeraldFleet
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

    static func orders(_ count: Int, prefix: String = "u") -> [String] {
        (0..<count).flatMap { index in
            [TestJourneys.identify("\(prefix)\(index)", messageId: "i-\(prefix)\(index)"),
             TestJourneys.track("\(prefix)\(index)", "Order Completed", messageId: "o-\(prefix)\(index)", properties: #"{"order_id":"o-\#(index)","total":5}"#)]
        }
    }

    @Test func twoSenderReplicasShareOneProviderRateAndDeferInsteadOfSleeping() async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        let limited = ["HERALD_EMAIL_RATE": "4/s", "HERALD_EMAIL_BURST": "1"]
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler"] { try fleet.start(name) }
        try fleet.start("herald-email-sender", limited)
        try fleet.start("herald-email-sender", limited)
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
        _ = fleet.stopAll()
    }

    @Test func retryAfterFromTheProviderHoldsTheSharedLimiter() async throws {
        let secret = "whsec_" + Data("herald-fleet-test-secret-0123456789".utf8).base64EncodedString()
        let peer = try await FleetPeer.webhook(secret: secret)
        let config = try TestConfig(templates: Self.hookTemplate)
        let fleet = try FleetHarness(journeys: [Self.hook])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        try fleet.start("herald-webhook-sender", [
            "HERALD_CONFIG_DIR": config.path, "HERALD_WEBHOOK_SECRET": secret, "HERALD_WEBHOOK_URL": peer.baseURL + "/status/429?retry_after=5",
            "HERALD_WEBHOOK_RATE": "100/s",
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

    @Test func aFailingPrimaryFailsOverToTheSecondaryAndTheBreakerOpens() async throws {
        let secret = "whsec_" + Data("herald-fleet-test-secret-0123456789".utf8).base64EncodedString()
        let peer = try await FleetPeer.webhook(secret: secret)
        let config = try TestConfig(templates: Self.hookTemplate)
        let fleet = try FleetHarness(journeys: [Self.hook])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        try fleet.start("herald-webhook-sender", [
            "HERALD_CONFIG_DIR": config.path, "HERALD_WEBHOOK_SECRET": secret, "HERALD_WEBHOOK_URL": peer.baseURL + "/status/503",
            "HERALD_WEBHOOK_SECONDARY": "outbox", "HERALD_BREAKER_FAILURES": "2", "HERALD_SEND_CONCURRENCY": "1",
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
        _ = fleet.stopAll()
    }
}
