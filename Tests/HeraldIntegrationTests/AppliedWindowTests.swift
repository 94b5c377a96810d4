import Foundation
import HeraldCore
import Testing

@testable import HeraldFleet

/// `HERALD_APPLIED_WINDOW_MS` against a real Redis: the partition forgets an applied input once an
/// input newer by more than the window is applied, and keeps it within the default 15 minutes; an
/// evaluator given a window no longer than the claim idle time refuses to start.
@Suite struct AppliedWindowTests {
    /// Applies an `Order Completed` entered two minutes ago, then one entered now, with
    /// `retention`, and returns the partition's applied ids and the two entries' ids.
    static func appliedAfterTwoInputs(_ retention: AppliedInputRetention) async throws -> (applied: [String], old: String, new: String) {
        let fleet = try FleetHarness(partitions: 1, journeys: [TestJourneys.receipt])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        let keyspace = fleet.keyspace
        let handler = try await fleet.evaluatorHandler(connection, appliedRetention: retention)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let ids = ["\(now - 120_000)-0", "\(now)-0"]
        for (n, id) in ids.enumerated() {
            let event = try JSONValue.parse(TestJourneys.track("u", "Order Completed", messageId: "o-\(n)", properties: #"{"order_id":"o-\#(n)","total":10}"#))
            _ = try await connection.send("XADD", keyspace.events(0), id, "kind", "event", "messageId", "o-\(n)", "event", event.serialized())
        }
        let entries = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.events(0), "-", "+").array ?? [], stream: keyspace.events(0))
        #expect(entries.map(\.id) == ids)
        for entry in entries { #expect(try await handler.handle([entry], connection: connection) == [.done]) }
        let applied = (try await connection.send("ZRANGE", keyspace.appliedInputs(0), 0, -1).array ?? []).compactMap(\.string)
        return (applied, ids[0], ids[1])
    }

    @Test func anAppliedInputIsForgottenOnceANewerOneIsAppliedPastTheWindow() async throws {
        let short = try await Self.appliedAfterTwoInputs(AppliedInputRetention(windowMilliseconds: 60_000, capacity: 100_000))
        #expect(short.applied == [short.new], "the input two minutes older than the newest is past a 60 s window: \(short.applied)")
        let standard = try await Self.appliedAfterTwoInputs(.standard)
        #expect(standard.applied == [standard.old, standard.new], "both within 15 minutes: \(standard.applied)")
    }

    @Test func anEvaluatorWithAWindowNoLongerThanTheClaimIdleTimeRefusesToStart() throws {
        let fleet = try FleetHarness(journeys: [])
        // The harness's claim idle time is 1 000 ms.
        let handle = try fleet.start("herald-evaluator", ["HERALD_APPLIED_WINDOW_MS": "1000"])
        #expect(handle.process.wait() != 0)
        #expect(handle.log.contains("HERALD_APPLIED_WINDOW_MS=1000"), "\(handle.log)")
    }
}
