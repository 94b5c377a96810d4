import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// The per-user trail against a real Redis: compact codes and ids, bounded by count and age,
/// expiring with the user's inactivity, and still read by `heraldctl trail` in sentences.
@Suite struct TrailRetentionTests {
    @Test(arguments: RedisMode.allCases) func theTrailIsCompactBoundedByCountAndAgeAndExpiresWithTheUsersInactivity(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let user = "tia"
        let partition = fleet.keyspace.partition(ofUser: user)
        let log = fleet.keyspace.trailLog(partition, user: user)
        let legacy = fleet.keyspace.trail(partition, user: user)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let hour: Int64 = 3_600_000
        // Entries older than the age at the oldest end, and a trail stream of the older form.
        _ = try await connection.send("RPUSH", log, "\(now - 2 * hour)\nexited|old|1||", "\(now - 3 * hour)\nexited|old|1||")
        try await connection.xadd(legacy, fields: [("entries", #"[{"kind":"entered","journey":"old","message":"Entered Old v1"}]"#)])
        var payloads = [TestJourneys.identify(user, messageId: "i-tia")]
        for index in 0..<8 {
            payloads.append(TestJourneys.track(user, "Order Completed", messageId: "o-\(index)", properties: #"{"order_id":"o-\#(index)","total":10}"#))
        }
        try await fleet.produce(connection, payloads)
        try fleet.start("herald-ingestor")
        try fleet.start("herald-evaluator", ["HERALD_TRAIL_MAX": "5", "HERALD_TRAIL_MAX_AGE_MS": String(hour)])
        #expect(try await eventually(timeout: 20) { try await fleet.processedAll(connection) })
        let stored = (try await connection.send("LRANGE", log, 0, -1).array ?? []).compactMap(\.string)
        #expect(stored.count == 5, "8 inputs, 5 kept, none past the age: \(stored.count)")
        #expect(!stored.contains { $0.contains("|old|") })
        for ttlKey in [log, legacy] {
            let pttl = try await connection.send("PTTL", ttlKey).int ?? -1
            #expect(pttl > hour - 60_000 && pttl <= hour, "\(ttlKey) expires an age after the last input: \(pttl) ms")
        }
        for entry in stored {
            #expect(!entry.contains("Requested email") && !entry.contains(user) && entry.utf8.count < 200, "codes and ids, no prose: \(entry)")
        }
        let records = stored.compactMap { TrailRecord.decodeEntry($0) }.flatMap(\.records)
        #expect(records.contains { $0.code == "sendRequested" && $0.details.first == "email" && $0.details.last?.hasPrefix($0.instanceId ?? "?") == true })
        let shown = try CtlRunner.run(fleet, ["trail", user])
        #expect(shown.code == 0)
        #expect(shown.output.contains("Entered test-receipt v1") && shown.output.contains("Requested email 'order-confirmation'"), "\(shown.output)")
        #expect(shown.output.contains("old  entered: Entered Old v1"), "the older form is still read: \(shown.output)")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func olderTrailEntriesStillReadInTheirOwnSentences(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        let user = "uma"
        let partition = fleet.keyspace.partition(ofUser: user)
        try await connection.xadd(fleet.keyspace.trail(partition, user: user), fields: [("entries", #"[{"userId":"uma","at":"2026-11-27T09:00:00Z","journey":"welcome","version":1,"kind":"entered","message":"Entered Welcome v1","step":"hello"}]"#)])
        // The compact line comes a second after the stream entry, so the order shown never rests on
        // the two clocks (the server's for the stream id, the test's here) ticking apart.
        let later = Int64(Date().timeIntervalSince1970 * 1000) + 1000
        _ = try await connection.send("LPUSH", fleet.keyspace.trailLog(partition, user: user), "\(later)\nexited|welcome|1|-abc|hello|completed")
        let shown = try CtlRunner.run(fleet, ["trail", user])
        #expect(shown.code == 0)
        let lines = shown.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[0].hasSuffix("welcome [hello]  entered: Entered Welcome v1"), "\(shown.output)")
        #expect(lines.count == 2 && lines[1].hasSuffix("welcome [hello]  exited: Exited: completed"), "oldest first: \(shown.output)")
    }
}
