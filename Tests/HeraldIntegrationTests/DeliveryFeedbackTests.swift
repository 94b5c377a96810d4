import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// Feedback events applied by the evaluator and seen by the sender and `heraldctl channels stats`:
/// user intent (unsubscribes) from producers through the ingest stream, provider feedback (bounces,
/// dead tokens, status callbacks) only as Herald's own `feedback` entries on the partition stream.
@Suite struct DeliveryFeedbackTests {
    static let promo = #"""
        {"id": "test-promo", "name": "Test promo",
         "trigger": {"behaviour": {"event": "Promo Viewed"}},
         "entry": {"reentry": "always"},
         "steps": [{"id": "promo", "send": {"channel": "email", "template": "welcome", "category": "marketing"}}]}
        """#

    static func event(_ user: String, _ name: String, _ id: String, _ properties: String) -> String {
        TestJourneys.track(user, name, messageId: id, properties: properties)
    }

    @Test(arguments: RedisMode.allCases) func anUnsubscribeSuppressesTheNextMarketingEmailWithItsReason(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [Self.promo], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-email-sender"] { try fleet.start(name) }
        try await fleet.produce(connection, [TestJourneys.identify("carol", messageId: "i-carol"), Self.event("carol", "Promo Viewed", "p-1", "{}")])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        try await fleet.produce(connection, [Self.event("carol", "Unsubscribed", "u-1", #"{"channel":"email"}"#)])
        let partition = fleet.keyspace.partition(ofUser: "carol")
        // The unsubscribe is applied before the next promo is produced, so the order checked is explicit.
        #expect(try await eventually(timeout: 20) {
            try await connection.send("EXISTS", fleet.keyspace.suppression(partition, user: "carol")).int == 1
        })
        let record = try await connection.send("GET", fleet.keyspace.suppression(partition, user: "carol")).string ?? ""
        #expect(record.contains(#""reason":"unsubscribed""#) && record.contains(#""category":"marketing""#) && record.contains(#""channel":"email""#))
        try await fleet.produce(connection, [Self.event("carol", "Promo Viewed", "p-2", "{}")])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "suppressed" } })
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.map { $0["status"] } == ["sent", "suppressed"])
        #expect(deliveries.last?["reason"] == "unsubscribed")
        #expect(fleet.emails().count == 1)
        if fleet.emails().count != 1 { for process in fleet.processes { print("=== \(process.name)\n\(process.log)") } }
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aHardBounceFromHeraldSuppressesThatAddressEvenForTransactionalMail(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        // The bounce is on the partition stream before the ingestor routes the order behind it.
        try await fleet.feedback(connection, [
            Self.event("dave", "Email Bounced", "b-1", #"{"email":"DAVE@example.com","bounceType":"hard","reason":"550 no such user"}"#),
        ])
        for name in ["herald-ingestor", "herald-evaluator", "herald-email-sender"] { try fleet.start(name) }
        try await fleet.produce(connection, [
            TestJourneys.identify("dave", messageId: "i-dave"),
            Self.event("dave", "Order Completed", "o-1", #"{"order_id":"o-1","total":10}"#),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "suppressed" } })
        let deliveries = try await fleet.deliveries(connection)
        let bounce = try #require(deliveries.first { $0["source"] == "feedback" })
        #expect(bounce["status"] == "bounced" && bounce["channel"] == "email" && bounce["reason"] == "550 no such user")
        #expect(deliveries.first { $0["source"] == nil }?["reason"] == "hard_bounce")
        #expect(fleet.emails().isEmpty)
        let stats = try CtlRunner.run(fleet, ["channels", "stats", "--json"])
        #expect(stats.code == 0)
        let json = try JSONValue.parse(stats.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(json["email"]?["bounced"]?.numberValue == 1 && json["email"]?["suppressed"]?.numberValue == 1)
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func deliveredAndOpenedCallbacksUpdateStatusAndCounters(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-email-sender"] { try fleet.start(name) }
        try await fleet.produce(connection, [
            TestJourneys.identify("erin", messageId: "i-erin"), Self.event("erin", "Order Completed", "o-1", #"{"order_id":"o-1","total":10}"#),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        let key = try #require(try await fleet.deliveries(connection).first?["id"])
        try await fleet.feedback(connection, [
            Self.event("erin", "Message Delivered", "f-1", #"{"messageId":"\#(key)","channel":"email"}"#),
            Self.event("erin", "Message Opened", "f-2", #"{"messageId":"\#(key)","channel":"email"}"#),
            Self.event("erin", "Message Clicked", "f-3", #"{"messageId":"\#(key)"}"#),  // no channel: not applied
        ])
        // A producer reporting a status changes nothing; the second order behind it marks when it was read.
        try await fleet.produce(connection, [
            Self.event("erin", "Message Clicked", "f-4", #"{"messageId":"\#(key)","channel":"email"}"#),
            Self.event("erin", "Order Completed", "o-2", #"{"order_id":"o-2","total":10}"#),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count == 2 })
        #expect(try await eventually { try await fleet.drained(connection) }, "every callback applied before the check")
        let feedback = try await fleet.deliveries(connection).filter { $0["source"] == "feedback" }
        #expect(feedback.map { $0["status"] } == ["delivered", "opened"])
        #expect(feedback.allSatisfy { $0["id"] == key && $0["userId"] == "erin" })
        let stats = try CtlRunner.run(fleet, ["channels", "stats"])
        #expect(stats.code == 0)
        let row = try #require(stats.output.split(separator: "\n").first { $0.hasPrefix("email") })
        // sent delivered opened clicked bounced failed suppressed deferred retrying duplicate
        #expect(row.split(separator: " ").map(String.init) == ["email", "2", "1", "1", "0", "0", "0", "0", "0", "0", "0"])
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func anUnregisteredPushTokenLeavesTheProfileAndIsSuppressed(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        try await fleet.produce(connection, [
            #"{"type":"identify","messageId":"i-fay","userId":"fay","traits":{"pushTokens":["tok-a","tok-b"]},"timestamp":"\#(TestTime.recent)"}"#,
        ])
        let partition = fleet.keyspace.partition(ofUser: "fay")
        #expect(try await eventually(timeout: 20) {
            try await connection.send("HGET", fleet.keyspace.profile(partition, user: "fay"), "pushTokens").string == #"["tok-a","tok-b"]"#
        })
        try await fleet.feedback(connection, [Self.event("fay", "Push Token Unregistered", "x-1", #"{"token":"tok-a"}"#)])
        #expect(try await eventually(timeout: 20) {
            try await connection.send("HGET", fleet.keyspace.profile(partition, user: "fay"), "pushTokens").string == #"["tok-b"]"#
        })
        let record = try await connection.send("GET", fleet.keyspace.suppression(partition, user: "fay")).string ?? ""
        #expect(record.contains(#""address":"tok-a""#) && record.contains("unregistered_token"))
        #expect(try await connection.send("HGET", fleet.keyspace.deliveryStats(partition), "push:bounced").string == "1")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aBounceAProducerSendsThroughIngestSuppressesNothing(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-email-sender"] { try fleet.start(name) }
        // Whoever can write herald:ingest could silence any address if this were applied.
        try await fleet.produce(connection, [
            TestJourneys.identify("gwen", messageId: "i-gwen"),
            Self.event("gwen", "Email Bounced", "b-1", #"{"email":"gwen@example.com","bounceType":"hard"}"#),
            Self.event("gwen", "Email Complained", "c-1", #"{"email":"gwen@example.com"}"#),
            Self.event("gwen", "Order Completed", "o-1", #"{"order_id":"o-1","total":10}"#),
        ])
        // The order came after the forged feedback on the same stream: its receipt goes to that address.
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.map { $0["status"] } == ["sent"], "no bounce recorded, nothing suppressed")
        #expect(fleet.emails().count == 1)
        let partition = fleet.keyspace.partition(ofUser: "gwen")
        #expect(try await connection.send("EXISTS", fleet.keyspace.suppression(partition, user: "gwen")).int == 0)
        #expect(try await connection.send("HGET", fleet.keyspace.deliveryStats(partition), "email:bounced").isNull)
        let evaluator = try #require(fleet.processes.first { $0.name == "herald-evaluator" })
        #expect(evaluator.log.contains("feedback refused"), "the refusal is logged")
        _ = fleet.stopAll()
    }
}
