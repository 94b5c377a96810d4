import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// Scaling down leaves no ghost consumers behind, and `heraldctl status` counts the live ones.
@Suite struct ConsumerCleanupTests {
    @Test func aReplicaThatStopsLeavesItsGroupAndStatusCountsTheOneLeft() async throws {
        let fleet = try FleetHarness(journeys: [])
        let connection = fleet.redis.connection()
        // Senders: every replica reads every outbox (ingestors and evaluators lease theirs).
        let first = try fleet.start("herald-email-sender")
        try fleet.start("herald-email-sender")
        let outbox = fleet.keyspace.outbox(0, .email), group = fleet.keyspace.senderGroup(.email)
        func members() async throws -> Int { (try? await connection.send("XINFO", "CONSUMERS", outbox, group).array?.count) ?? 0 }
        #expect(try await eventually { try await members() == 2 })
        #expect(first.terminate().status == 0)
        #expect(try await members() == 1, "the stopped replica left the outbox's group")
        let status = try CtlRunner.run(fleet, ["status"])
        let row = try #require(status.output.split(separator: "\n").first { $0.contains(":{p*}:outbox:email ") }, "\(status.output)")
        // STREAM LENGTH GROUP PENDING CONSUMERS LAG (the partitions of a channel summed in one row)
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).first == "1", "\(row)")
        _ = fleet.stopAll()
    }
}
