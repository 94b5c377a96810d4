import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// The fleet's executables as separate processes on a real Redis, from a producer's XADD to a
/// message in the outbox.
@Suite struct FleetTests {
    @Test(arguments: RedisMode.allCases) func anEventAddedWithPlainXADDBecomesAnEmailAndDeliveryRecords(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.welcome], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"] { try fleet.start(name) }
        // Exactly what a producer does: XADD with a JSON `event` field, no SDK.
        try await connection.xadd(fleet.keyspace.ingest, fields: [("event", TestJourneys.identify("ann", messageId: "i-1"))])
        try await connection.xadd(fleet.keyspace.ingest, fields: [("event", TestJourneys.track("ann", "Signed Up", messageId: "t-1"))])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count == 2 })
        let deliveries = try await fleet.deliveries(connection)
        #expect(Set(deliveries.compactMap { $0["step"] }) == ["hello", "follow-up"], "the second send went through the scheduler")
        #expect(deliveries.allSatisfy { $0["userId"] == "ann" && $0["journey"] == "test-welcome" && $0["channel"] == "email" })
        let emails = fleet.emails()
        #expect(emails.count == 2)
        let message = try String(contentsOf: try #require(emails.first), encoding: .utf8)
        #expect(message.contains("To: ann@example.com"))
        #expect(message.contains("Subject: Welcome to Herald Shop, Ann!"))
        #expect(message.contains("Content-Type: multipart/alternative"))
        let trail = try await TrailReader.entries(user: "ann", count: 100, keyspace: fleet.keyspace, connection: connection)
        let kinds = Set(trail.flatMap { $0.records.map(\.code) })
        #expect(kinds.isSuperset(of: ["entered", "sendRequested", "waitingUntil", "timerFired"]), "the trail explains every decision: \(kinds)")
        let codes = fleet.stopAll()
        #expect(codes.values.allSatisfy { $0 == 0 }, "every process drains and exits 0 on SIGTERM: \(codes)")
    }

    @Test(arguments: RedisMode.allCases) func aDuplicateMessageIdSendsOnce(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let order = TestJourneys.track("bob", "Order Completed", messageId: "order-1", properties: #"{"order_id":"o-1","total":10}"#)
        try await fleet.produce(connection, [TestJourneys.identify("bob", messageId: "i-bob"), order, order, order])
        for name in ["herald-ingestor", "herald-evaluator", "herald-email-sender"] { try fleet.start(name) }
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count >= 1 })
        #expect(try await eventually { try await fleet.drained(connection) }, "every copy of the order was read and acknowledged")
        #expect(try await fleet.deliveries(connection).count == 1)
        #expect(fleet.emails().count == 1)
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func killingTheEvaluatorMidRunLosesNothingAndSendsNothingTwice(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let users = 400
        var payloads: [String] = []
        for index in 0..<users {
            payloads.append(TestJourneys.identify("u\(index)", messageId: "i-\(index)"))
            payloads.append(TestJourneys.track("u\(index)", "Order Completed", messageId: "o-\(index)", properties: #"{"order_id":"o-\#(index)","total":5}"#))
        }
        try fleet.start("herald-ingestor")
        try fleet.start("herald-email-sender")
        try await fleet.produce(connection, payloads)
        let first = try fleet.start("herald-evaluator", ["HERALD_BATCH_SIZE": "10"])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count >= 20 })
        first.kill()
        let sentBeforeRestart = try await fleet.deliveries(connection).count
        #expect(sentBeforeRestart < users, "the evaluator was killed in the middle of the run")
        try fleet.start("herald-evaluator", ["HERALD_BATCH_SIZE": "10"])
        #expect(try await eventually(timeout: 40) { try await fleet.deliveries(connection).count >= users })
        #expect(try await eventually(timeout: 20) { try await fleet.drained(connection) }, "nothing left that could still send a duplicate")
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.count == users, "one delivery per order: nothing lost, nothing evaluated twice")
        #expect(Set(deliveries.compactMap { $0["userId"] }).count == users)
        #expect(deliveries.allSatisfy { $0["status"] == "sent" }, "no duplicate send request reached the sender")
        #expect(fleet.emails().count == users)
        _ = fleet.stopAll()
    }
}
