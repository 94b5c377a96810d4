import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// The cluster-aware client against a real local Redis Cluster (3 masters, 1 replica each).
@Suite(.serialized) struct RedisClusterClientTests {
    /// Keys that land on three different masters.
    private func keysOnEveryMaster(_ cluster: RedisCluster) async throws -> [RedisKey] {
        let topology = try await cluster.currentTopology()
        var byMaster: [RedisNodeAddress: RedisKey] = [:]
        var index = 0
        while byMaster.count < topology.masters.count {
            let key = RedisKey("k\(index)")
            if let master = topology.master(for: RedisHashSlot(key)), byMaster[master] == nil { byMaster[master] = key }
            index += 1
        }
        return topology.masters.map { byMaster[$0]! }
    }

    @Test func aPipelineIsSplitByNodeAndItsRepliesComeBackInOrder() async throws {
        let cluster = try RedisCluster()
        let connection = cluster.connection()
        let keys = try await keysOnEveryMaster(cluster)
        var commands: [RedisCommand] = []
        for round in 0..<3 {
            for key in keys { commands.append(RedisCommand("INCRBY", [key, round * 10 + 1])) }
        }
        commands.append(RedisCommand("PING"))
        let replies = try await connection.pipeline(commands)
        // Each key was incremented by 1, then 11, then 21: its replies are 1, 12, 33 in that order.
        for (offset, key) in keys.enumerated() {
            #expect(replies[offset] == .integer(1), "\(key)")
            #expect(replies[keys.count + offset] == .integer(12))
            #expect(replies[2 * keys.count + offset] == .integer(33))
        }
        #expect(replies.last == .simple("PONG"))
        let statistics = try #require(await connection.clusterStatistics())
        #expect(statistics.commandsByNode.count == 3, "every master got its part: \(statistics.commandsByNode)")
        // Each value really is on the master of its slot.
        for key in keys {
            let master = try await cluster.master(of: RedisHashSlot(key))
            #expect(try await master.direct().send("GET", key).string == "33")
        }
        #expect(try await connection.onEveryMaster(RedisCommand("DBSIZE")).map { $0.int ?? -1 } .reduce(0, +) >= 3)
        #expect(try await connection.masters().count == 3)
    }

    @Test func aCommandWhoseKeysSpanSlotsIsRefusedBeforeItIsSent() async throws {
        let cluster = try RedisCluster()
        let connection = cluster.connection()
        let keys = try await keysOnEveryMaster(cluster)
        _ = try await connection.send("PING")
        let before = try #require(await connection.clusterStatistics()).commands
        await #expect(throws: RedisClientError.crossSlot(command: "MGET", slots: [RedisHashSlot(keys[0]).rawValue, RedisHashSlot(keys[1]).rawValue])) {
            _ = try await connection.pipeline([RedisCommand("SET", ["x", "1"]), RedisCommand("MGET", [keys[0], keys[1]])])
        }
        await #expect(throws: RedisClientError.self) {
            _ = try await connection.pipeline([RedisCommand("MULTI"), RedisCommand("SET", [keys[0], "1"]), RedisCommand("SET", [keys[1], "1"]), RedisCommand("EXEC")])
        }
        #expect(try #require(await connection.clusterStatistics()).commands == before, "nothing was sent")
        #expect(try await connection.pipeline([RedisCommand("EXISTS", ["x"])]) == [.integer(0)])
        // Keys with one hash tag go together, in a command and in a transaction.
        let replies = try await connection.pipeline([
            RedisCommand("MULTI"), RedisCommand("SET", ["{u}a", "1"]), RedisCommand("SET", ["{u}b", "2"]), RedisCommand("EXEC"),
            RedisCommand("MGET", ["{u}a", "{u}b"]),
        ])
        #expect(replies[3] == .array([.simple("OK"), .simple("OK")]))
        #expect(replies[4] == .array([.bulk(Array("1".utf8)), .bulk(Array("2".utf8))]))
    }

    @Test func scriptsAreLoadedOnEachNodeThatAnswersNoScript() async throws {
        let cluster = try RedisCluster()
        let connection = cluster.connection()
        let keys = try await keysOnEveryMaster(cluster)
        let script = RedisScript(name: "cluster-incr", source: "return redis.call('INCR', KEYS[1]) -- \(UUID().uuidString)")
        let replies = try await connection.evaluateMany(script, calls: keys.map { ([$0], []) } + keys.map { ([$0], []) })
        #expect(replies == [.integer(1), .integer(1), .integer(1), .integer(2), .integer(2), .integer(2)])
        for master in try await connection.masters() {
            let node = try #require(cluster.nodes.first { $0.port == master.port })
            #expect(try await node.direct().send("SCRIPT", "EXISTS", script.sha1) == .array([.integer(1)]))
        }
    }

    @Test func movedAndAskRedirectsAreFollowedWhileASlotMigrates() async throws {
        let cluster = try RedisCluster()
        let connection = cluster.connection()
        let key = RedisKey("{migrating}old")
        let fresh = RedisKey("{migrating}new")
        let slot = RedisHashSlot(key)
        try await connection.send("SET", key, "before")
        let source = try await cluster.master(of: slot)
        let target = try #require(try await {
            let topology = try await cluster.currentTopology()
            let address = topology.masters.first { $0.port != source.port }!
            return cluster.nodes.first { $0.port == address.port }
        }())
        let sourceID = try await cluster.id(of: source)
        let targetID = try await cluster.id(of: target)
        try await target.direct().send("CLUSTER", "SETSLOT", slot.rawValue, "IMPORTING", sourceID)
        try await source.direct().send("CLUSTER", "SETSLOT", slot.rawValue, "MIGRATING", targetID)
        // Mid-migration, a key the source no longer has is answered with ASK: it goes to the target.
        try await connection.send("SET", fresh, "created during the migration")
        #expect(try await target.direct().pipeline([RedisCommand("ASKING"), RedisCommand("GET", [fresh])])[1].string == "created during the migration")
        #expect(try await connection.send("GET", key).string == "before", "a key still on the source is served there")
        let asked = try #require(await connection.clusterStatistics()).redirects
        #expect(asked >= 1)
        // Finish the move: the old key migrates, the slot is assigned to the target everywhere.
        try await source.direct().send("MIGRATE", "127.0.0.1", target.port, "", 0, 5000, "KEYS", key)
        for node in cluster.nodes {
            _ = try? await node.direct().send("CLUSTER", "SETSLOT", slot.rawValue, "NODE", targetID)
        }
        // The client's map still names the source, which answers MOVED; it follows and learns the new map.
        #expect(try await connection.send("GET", key).string == "before")
        #expect(try await connection.send("GET", fresh).string == "created during the migration")
        #expect(try #require(await connection.clusterStatistics()).redirects > asked)
        let routed = try await connection.pipeline([RedisCommand("GET", [key])])
        #expect(routed == [.bulk(Array("before".utf8))])
    }

    @Test func aKilledMasterIsReplacedByItsReplicaAndTheClientFollows() async throws {
        let cluster = try RedisCluster()
        let connection = cluster.connection()
        let key = RedisKey("{failover}counter")
        try await connection.send("SET", key, "1")
        // WAIT: the write reached the replica before the master dies.
        #expect(try await connection.pipeline([RedisCommand("INCR", [key]), RedisCommand("WAIT", [1, 2000])]) == [.integer(2), .integer(1)])
        let master = try await cluster.master(of: RedisHashSlot(key))
        cluster.kill(master)
        // Until a replica is promoted the slot has no master: commands fail; the caller retries.
        var backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(500))
        let deadline = ContinuousClock.now + .seconds(30)
        var value: String?
        var failures = 0
        while ContinuousClock.now < deadline {
            do {
                value = try await connection.send("INCR", key).int.map(String.init)
                break
            } catch {
                failures += 1
                try await Task.sleep(for: backoff.next())
            }
        }
        #expect(value == "3", "the promoted replica had the acknowledged writes")
        #expect(failures > 0, "the outage was seen")
        let promoted = try await cluster.master(of: RedisHashSlot(key))
        #expect(promoted.port != master.port)
    }

    @Test func blockingReadsWorkOnTheNodeOfTheirStream() async throws {
        let cluster = try RedisCluster()
        let connection = cluster.connection()
        let stream = RedisKey("{p7}:events")
        try await connection.ensureGroup("g", on: stream)
        let writer = cluster.connection(label: "writer")
        async let read = connection.xreadgroup(group: "g", consumer: "c", streams: [stream], count: 10, blockMilliseconds: 3000)
        // Written only once the read is blocked on its node, so the reply comes from the block.
        #expect(try await eventually {
            try await writer.onEveryMaster(.info("clients")).contains { $0.string?.contains("blocked_clients:1") ?? false }
        })
        _ = try await writer.xadd(stream, fields: [("f", "v")])
        let entries = try await read
        #expect(entries.count == 1)
    }
}
