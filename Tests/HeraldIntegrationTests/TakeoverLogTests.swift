import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// Takeovers say so in one warning line with the ids to act on: a worker taking entries another
/// consumer left idle (`herald_entries_claimed_total`), an evaluator whose write is fenced because
/// its partition's lease moved (`herald_evaluations_fenced_total`).
@Suite struct TakeoverLogTests {
    @Test func claimingAnotherConsumersIdleEntryLogsTheStreamAndIds() async throws {
        let fleet = try FleetHarness(journeys: [])
        let connection = fleet.redis.connection()
        let stream = fleet.keyspace.ingest
        try await connection.ensureGroup(fleet.keyspace.ingestGroup, on: stream)
        try await fleet.produce(connection, [TestJourneys.identify("ida", messageId: "takeover-1")])
        // A consumer that reads the entry and dies before acknowledging it.
        let read = try await connection.xreadgroup(
            group: fleet.keyspace.ingestGroup, consumer: "ghost-1", streams: [stream], from: ">", count: 10, blockMilliseconds: nil)
        let id = try #require(read.first?.id)
        let port = try FreePort.find()
        let ingestor = try fleet.start("herald-ingestor", ["HERALD_METRICS_PORT": String(port)])
        // The ingestor claims it once it is idle for HERALD_CLAIM_IDLE_MS (1 s in the harness) and applies it.
        let partition = fleet.keyspace.partition(ofUser: "ida")
        #expect(try await eventually(timeout: 20) { try await connection.send("XLEN", fleet.keyspace.events(partition)).int == 1 })
        #expect(try await eventually(timeout: 10) {
            (LoopbackHTTP.get(port: port, "/metrics")?.body ?? "").contains("herald_entries_claimed_total{worker=\"ingest\"} 1")
        })
        let line = try #require(ingestor.log.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            .first { $0["msg"]?.stringValue == "claimed idle entries from another consumer" }, "\(ingestor.log)")
        #expect(line["level"]?.stringValue == "warning")
        #expect(line["stream"]?.stringValue == stream.rawValue && line["group"]?.stringValue == fleet.keyspace.ingestGroup)
        #expect(line["ids"]?.arrayValue?.compactMap(\.stringValue) == [id] && line["count"]?.numberValue == 1)
        #expect(line["consumer"]?.stringValue?.isEmpty == false)
        _ = fleet.stopAll()
    }

    @Test func aFencedWriteLogsThePartitionUserAndEntry() async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        let port = try FreePort.find()
        // Leases renewed only every 20 s: the stolen lease is not noticed before the write.
        let evaluator = try fleet.start("herald-evaluator", ["HERALD_METRICS_PORT": String(port), "HERALD_LEASE_MS": "60000"])
        let ingestor = try fleet.start("herald-ingestor")
        let partition = fleet.keyspace.partition(ofUser: "fen")
        #expect(try await eventually(timeout: 20) {
            let leased = try await connection.send("GET", fleet.keyspace.lease(partition)).string ?? ""
            return !leased.isEmpty && (LoopbackHTTP.get(port: port, "/metrics")?.body ?? "").contains("herald_partition_lease_owned{partition=\"\(partition)\"")
        })
        // Another evaluator takes the partition (as after a pause longer than the lease).
        try await connection.send("SET", fleet.keyspace.lease(partition), "another-evaluator|999999")
        // An order starts the receipt journey: the evaluator has state, a send request and a trail to write.
        try await fleet.produce(connection, [TestJourneys.track("fen", "Order Completed", messageId: "fence-1", properties: #"{"order_id":"o-1","total":5}"#)])
        let routed = try await eventually(timeout: 10) { try await connection.send("XLEN", fleet.keyspace.events(partition)).int == 1 }
        let rejected = try await fleet.rejected(connection)
        #expect(routed, "\(rejected)")
        #expect(try await eventually(timeout: 20) {
            (LoopbackHTTP.get(port: port, "/metrics")?.body ?? "").contains("herald_evaluations_fenced_total ")
                && !(LoopbackHTTP.get(port: port, "/metrics")?.body ?? "").contains("herald_evaluations_fenced_total 0")
        })
        let line = try #require(evaluator.log.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
            .first { $0["msg"]?.stringValue == "write fenced: the partition lease moved; not applied here" }, "\(evaluator.log)\n\(ingestor.log)")
        #expect(line["level"]?.stringValue == "warning")
        #expect(line["partition"]?.numberValue == Double(partition) && line["user"]?.stringValue == "fen")
        #expect(line["stream"]?.stringValue == fleet.keyspace.events(partition).rawValue && line["id"]?.stringValue?.isEmpty == false)
        #expect(line["error"]?.stringValue?.hasPrefix("FENCED") == true)
        // Nothing of the input was applied by the fenced evaluator: no journey state, no send request.
        #expect(try await connection.send("EXISTS", fleet.keyspace.journeyState(partition, user: "fen")).int == 0)
        #expect(try await connection.send("XLEN", fleet.keyspace.outbox(partition, .email)).int == 0)
        _ = fleet.stopAll()
    }
}
