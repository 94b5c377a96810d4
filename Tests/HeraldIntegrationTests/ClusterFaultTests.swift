import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// The fleet on a real Redis Cluster while the cluster changes under load: slots of a live
/// partition resharded to another master, and a master killed and replaced by its replica.
@Suite(.serialized) struct ClusterFaultTests {
    static let partitions = 8
    static let events = 30

    /// The partition whose slot `redis-cli --cluster reshard` moves with the fewest slots (it
    /// takes a source's slots from the lowest up), with its master and how many slots to move.
    static func cheapestPartitionToMove(_ fleet: FleetHarness, _ cluster: RedisCluster) async throws -> (partition: Int, source: RedisCluster.Node, slots: Int) {
        let topology = try await cluster.currentTopology()
        var best: (Int, RedisNodeAddress, Int)?
        for partition in fleet.keyspace.allPartitions {
            let slot = RedisHashSlot(fleet.keyspace.events(partition))
            let owned = topology.shards.filter { $0.master == topology.master(for: slot) }.flatMap { Array($0.slots) }.sorted()
            guard let master = topology.master(for: slot), let position = owned.firstIndex(of: slot.rawValue) else { continue }
            if best == nil || position + 1 < best!.2 { best = (partition, master, position + 1) }
        }
        let (partition, master, slots) = try #require(best)
        return (partition, try #require(cluster.nodes.first { $0.port == master.port }), slots)
    }

    /// Produces `events` steps per user in waves, re-sending a wave whose writes a replica did not
    /// confirm (a producer's at-least-once: messageIds make the re-sent copies duplicates).
    static func produceInWaves(_ fleet: FleetHarness, users: [String], durable: Bool) async throws {
        let connection = fleet.connection(label: "producer")
        try await fleet.produce(connection, users.map(EvaluatorReplicaTests.identify))
        for seq in 0..<events {
            let wave = users.map { EvaluatorReplicaTests.step($0, seq) }
            var sent = false
            var backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(500))
            while !sent {
                do {
                    try await fleet.produce(connection, wave)
                    if durable {
                        let confirmed = try await connection.onEveryMaster(RedisCommand("WAIT", [1, 2000])).map { $0.int ?? 0 }
                        sent = confirmed.allSatisfy { $0 >= 1 }
                    } else {
                        sent = true
                    }
                } catch {
                    // A master is down or the slot is moving: send the wave again.
                }
                if !sent { try await Task.sleep(for: backoff.next()) }
            }
            // Load spread over a few seconds, so the cluster changes while events flow.
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Every user's steps were all evaluated, first occurrences in order, and sent.
    static func expectNothingLostAndOrderKept(_ fleet: FleetHarness, _ connection: RedisConnection, users: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for user in users {
            let seqs = try await EvaluatorReplicaTests.evaluated(fleet, connection, user: user)
            var seen = Set<Int>()
            let firsts = seqs.filter { seen.insert($0).inserted }
            #expect(firsts == Array(0..<events), "\(user) evaluated \(seqs)", sourceLocation: sourceLocation)
        }
        let sent = Set(try await fleet.records(connection).filter { $0.status == "sent" }.map(\.key))
        #expect(sent.count == users.count * events, "one sent message per step", sourceLocation: sourceLocation)
    }

    @Test func reshardingALivePartitionsSlotsLosesNothingSendsNothingTwiceAndKeepsOrder() async throws {
        let fleet = try FleetHarness(partitions: Self.partitions, journeys: [EvaluatorReplicaTests.sequence], mode: .cluster)
        let cluster = try #require(fleet.cluster)
        let connection = fleet.connection()
        try await fleet.publishJourneys()
        for name in ["herald-ingestor", "herald-evaluator", "herald-email-sender"] { try fleet.start(name) }
        let users = EvaluatorReplicaTests.users(fleet.keyspace)
        let (partition, source, slots) = try await Self.cheapestPartitionToMove(fleet, cluster)
        let slot = RedisHashSlot(fleet.keyspace.events(partition))
        let topology = try await cluster.currentTopology()
        let targetAddress = try #require(topology.masters.first { $0.port != source.port })
        let target = try #require(cluster.nodes.first { $0.port == targetAddress.port })
        let producing = Task { try await Self.produceInWaves(fleet, users: users, durable: false) }
        // Let the first waves flow, then move the partition's slot (and the ones below it) away.
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count >= users.count * 3 })
        let reshard = try ChildProcess(
            path: try Executables.find("redis-cli"),
            arguments: [
                "--cluster", "reshard", "127.0.0.1:\(source.port)", "--cluster-from", try await cluster.id(of: source),
                "--cluster-to", try await cluster.id(of: target), "--cluster-slots", String(slots), "--cluster-yes",
            ],
            environment: ProcessInfo.processInfo.environment, output: fleet.outbox.deletingLastPathComponent().appendingPathComponent("reshard.log").path)
        while reshard.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(reshard.wait() == 0, "redis-cli --cluster reshard succeeded")
        let moved = try await cluster.currentTopology()
        #expect(moved.master(for: slot)?.port == target.port, "partition \(partition)'s slot now lives on another master")
        try await producing.value
        #expect(try await eventually(timeout: 60) { try await fleet.deliveries(connection).count >= users.count * Self.events })
        #expect(try await eventually(timeout: 30) { try await fleet.drained(connection) })
        try await EvaluatorReplicaTests.expectExactlyOnceInOrder(fleet, connection, users: users, events: Self.events)
        let codes = fleet.stopAll()
        #expect(codes.values.allSatisfy { $0 == 0 }, "\(codes)")
    }

    @Test func aKilledMasterIsReplacedAndWithReplicaAcksTheFleetLosesNothing() async throws {
        let fleet = try FleetHarness(partitions: Self.partitions, journeys: [EvaluatorReplicaTests.sequence], mode: .cluster)
        let cluster = try #require(fleet.cluster)
        let connection = fleet.connection()
        try await fleet.publishJourneys()
        let durable = ["HERALD_REPLICA_ACKS": "1", "HERALD_REPLICA_ACK_TIMEOUT_MS": "2000"]
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"] { try fleet.start(name, durable) }
        let users = EvaluatorReplicaTests.users(fleet.keyspace)
        let producing = Task { try await Self.produceInWaves(fleet, users: users, durable: true) }
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count >= users.count * 3 })
        let victim = try await cluster.master(of: RedisHashSlot(fleet.keyspace.events(0)))
        cluster.kill(victim)
        // Its replica takes over within a few node timeouts; the old master comes back as a replica,
        // so the new master has a replica to confirm writes again.
        #expect(try await eventually(timeout: 30) {
            (try? await cluster.master(of: RedisHashSlot(fleet.keyspace.events(0))))?.port != victim.port
        })
        try cluster.restart(victim)
        try await producing.value
        // While the slot has no master, reads fail too: they count as not yet.
        #expect(try await eventually(timeout: 90) {
            Set(((try? await fleet.records(connection)) ?? []).filter { $0.status == "sent" }.map(\.key)).count >= users.count * Self.events
        })
        try await Self.expectNothingLostAndOrderKept(fleet, connection, users: users)
        let codes = fleet.stopAll()
        #expect(codes.values.allSatisfy { $0 == 0 }, "\(codes)")
    }
}
