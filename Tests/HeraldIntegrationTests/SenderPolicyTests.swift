import Foundation
import HeraldCore
import HeraldFleet
import Testing

/// Frequency caps and quiet hours through the real email sender: send requests go straight onto
/// the outbox streams, as the evaluator puts them there.
@Suite struct SenderPolicyTests {
    static func request(_ user: String, _ key: String, category: MessageCategory) -> SendRequest {
        SendRequest(
            idempotencyKey: key, userId: user, journey: "test", instanceId: "i-\(key)", step: "s", channel: .email,
            template: "welcome", category: category, context: [:], requestedAt: Date())
    }

    static func enqueue(_ fleet: FleetHarness, _ connection: RedisConnection, _ requests: [SendRequest]) async throws {
        for request in requests {
            let partition = fleet.keyspace.partition(ofUser: request.userId)
            try await connection.xadd(fleet.keyspace.outbox(partition, .email), fields: [("request", request.json.serialized())])
        }
    }

    @Test func marketingOverTheCapIsSuppressedWithItsReasonAndTransactionalBypassesIt() async throws {
        let fleet = try FleetHarness(journeys: [])
        let connection = fleet.redis.connection()
        try await fleet.produce(connection, [TestJourneys.identify("capped", messageId: "i-capped")])
        try fleet.start("herald-ingestor")
        #expect(try await eventually { try await connection.send("EXISTS", fleet.keyspace.profile(fleet.keyspace.partition(ofUser: "capped"), user: "capped")).int == 1 })
        // Two sender replicas share the cap: it holds across processes.
        try fleet.start("herald-email-sender", ["HERALD_FREQUENCY_CAPS": "email=2/1d"])
        try fleet.start("herald-email-sender", ["HERALD_FREQUENCY_CAPS": "email=2/1d"])
        try await Self.enqueue(fleet, connection, (1...4).map { Self.request("capped", "m\($0)", category: .marketing) } + [Self.request("capped", "t1", category: .transactional)])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 5 })
        let deliveries = try await fleet.deliveries(connection)
        let marketing = deliveries.filter { $0["category"] == "marketing" }
        #expect(marketing.filter { $0["status"] == "sent" }.count == 2, "at most 2 marketing emails a day")
        #expect(marketing.filter { $0["status"] == "suppressed" && $0["reason"] == "frequency_cap" }.count == 2)
        #expect(deliveries.first { $0["category"] == "transactional" }?["status"] == "sent", "transactional bypasses caps")
        #expect(fleet.emails().count == 3)
        _ = fleet.stopAll()
    }

    @Test func quietHoursDeferMarketingToTheNextAllowedTimeAndLetTransactionalThrough() async throws {
        let fleet = try FleetHarness(journeys: [])
        let connection = fleet.redis.connection()
        try await fleet.produce(connection, [
            #"{"type":"identify","messageId":"i-q","userId":"sleeper","traits":{"email":"s@example.com","timezone":"Asia/Kolkata","firstName":"Sam"},"timestamp":"\#(TestTime.recent)"}"#,
        ])
        try fleet.start("herald-ingestor")
        #expect(try await eventually { try await connection.send("EXISTS", fleet.keyspace.profile(fleet.keyspace.partition(ofUser: "sleeper"), user: "sleeper")).int == 1 })
        // A quiet window around now in the user's zone (+05:30), ending at the next whole minute.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Kolkata")!
        let now = Date()
        let start = calendar.date(byAdding: .hour, value: -1, to: now)!
        // Late in a minute the next one would begin before the sender looks: take the one after.
        let end = calendar.date(byAdding: .minute, value: calendar.component(.second, from: now) >= 45 ? 2 : 1, to: now)!
        func clock(_ date: Date) -> String {
            let parts = calendar.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", parts.hour!, parts.minute!)
        }
        try fleet.start("herald-scheduler")
        try fleet.start("herald-email-sender", ["HERALD_QUIET_HOURS": "\(clock(start))-\(clock(end))"])
        try await Self.enqueue(fleet, connection, [Self.request("sleeper", "promo", category: .marketing), Self.request("sleeper", "receipt", category: .transactional)])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        let first = try await fleet.deliveries(connection)
        #expect(first.first { $0["id"] == "receipt" }?["status"] == "sent", "transactional ignores quiet hours")
        let deferred = try #require(first.first { $0["id"] == "promo" })
        #expect(deferred["status"] == "deferred")
        let until = try #require(deferred["until"].flatMap(ISO8601.parse))
        // The window ends at the start of minute `end` in Kolkata: the promo waits for exactly that.
        let expectedEnd = calendar.date(from: calendar.dateComponents([.year, .month, .day, .hour, .minute], from: end))!
        #expect(abs(until.timeIntervalSince(expectedEnd)) < 1, "deferred to \(until), expected \(expectedEnd)")
        #expect(fleet.emails().count == 1, "the promo is held, not sent and not dropped")
        // It comes back through the scheduler when the window closes.
        #expect(try await eventually(timeout: 200) { try await fleet.deliveries(connection).contains { $0["id"] == "promo" && $0["status"] == "sent" } })
        #expect(fleet.emails().count == 2)
        _ = fleet.stopAll()
    }
}
