import Foundation
import HeraldCore
import Testing

/// Scaling down leaves no ghost consumers behind, and `heraldctl status` counts the live ones.
@Suite struct ConsumerCleanupTests {
    @Test func aReplicaThatStopsLeavesItsGroupAndStatusCountsTheOneLeft() async throws {
        let fleet = try FleetHarness(journeys: [])
        let connection = fleet.redis.connection()
        let first = try fleet.start("herald-ingestor")
        try fleet.start("herald-ingestor")
        let ingest = fleet.keyspace.ingest, group = fleet.keyspace.ingestGroup
        func members() async throws -> Int { (try? await connection.send("XINFO", "CONSUMERS", ingest, group).array?.count) ?? 0 }
        #expect(try await eventually { try await members() == 2 })
        #expect(first.terminate().status == 0)
        #expect(try await members() == 1, "the stopped replica left the ingest group")
        let status = try CtlRunner.run(fleet, ["status"])
        let row = try #require(status.output.split(separator: "\n").first { $0.hasPrefix(ingest.rawValue + " ") })
        // STREAM LENGTH GROUP PENDING CONSUMERS LAG
        #expect(row.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).first == "1", "\(row)")
        _ = fleet.stopAll()
    }
}
