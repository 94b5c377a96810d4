import HeraldCore
import Testing

/// The pure parts of the cluster client: key slots, key positions, the slot map.
@Suite struct RedisClusterRoutingTests {
    @Test func slotsFollowTheClusterSpecification() {
        // CRC16/XMODEM of "123456789" is 0x31C3, the specification's check value.
        #expect(RedisHashSlot(key: Array("123456789".utf8)).rawValue == 0x31C3 & 0x3FFF)
        #expect(RedisHashSlot("foo").rawValue == 12_182)
        #expect(RedisHashSlot("bar").rawValue == 5_061)
        // Only the hash tag counts, so these share a slot; an empty tag hashes the whole key.
        #expect(RedisHashSlot("{user1000}.following") == RedisHashSlot("{user1000}.followers"))
        #expect(RedisHashSlot("{user1000}.following") == RedisHashSlot("user1000"))
        #expect(RedisHashSlot("foo{}{bar}") == RedisHashSlot(key: Array("foo{}{bar}".utf8)))
        #expect(RedisHashSlot("foo{}{bar}") != RedisHashSlot("bar"))
        #expect(RedisHashSlot("foo{{bar}}zap") == RedisHashSlot("{bar"))
        #expect(RedisHashSlot("foo{bar}{zap}") == RedisHashSlot("bar"))
    }

    @Test func everyKeyOfAPartitionSharesItsSlot() {
        let keyspace = Keyspace()
        let slot = RedisHashSlot(keyspace.events(3))
        #expect(RedisHashSlot(keyspace.timers(3)) == slot)
        #expect(RedisHashSlot(keyspace.journeyState(3, user: "u-1")) == slot)
        #expect(RedisHashSlot(keyspace.events(4)) != slot)
    }

    @Test func theIngestShardRuleIsTheOneDocumentedForProducers() {
        let keyspace = Keyspace(ingestShards: 3)
        // docs/cluster.md's Python rule gives 1 for "u-ann" with 3 shards.
        #expect(keyspace.ingestShard(ofUser: "u-ann") == 1)
        #expect(keyspace.ingest(forUser: "u-ann").rawValue == "herald:ingest:{i1}")
        #expect(keyspace.ingest(shard: 0) == keyspace.ingest, "shard 0 is herald:ingest, as on one Redis")
        #expect(Set(keyspace.allIngestStreams.map(RedisHashSlot.init)).count == 3, "each shard has a slot of its own")
        #expect(Keyspace().ingest(forUser: "anyone") == Keyspace().ingest, "one shard: everything goes to herald:ingest")
        #expect(RedisHashSlot(keyspace.ingestLease(2)) == RedisHashSlot(keyspace.ingest(shard: 2)))
    }

    @Test func theFleetWideStreamsAreShardedLikeTheIngestStreams() {
        let keyspace = Keyspace(partitions: 16, ingestShards: 3)
        #expect(keyspace.allDeliveryStreams.map(\.rawValue) == ["herald:deliveries", "herald:deliveries:{i1}", "herald:deliveries:{i2}"])
        #expect(keyspace.allRejectedStreams.map(\.rawValue) == ["herald:rejected", "herald:rejected:{i1}", "herald:rejected:{i2}"])
        #expect(keyspace.allDeadLetterStreams.map(\.rawValue) == ["herald:dead-letter", "herald:dead-letter:{i1}", "herald:dead-letter:{i2}"])
        for shard in 0..<3 {
            if shard > 0 {
                // Shard 0 keeps the untagged names of one Redis; the others share their ingest shard's slot.
                #expect(RedisHashSlot(keyspace.rejected(shard: shard)) == RedisHashSlot(keyspace.ingest(shard: shard)), "a shard's rejections sit beside it")
            }
            #expect(keyspace.rejected(forStream: keyspace.ingest(shard: shard)) == keyspace.rejected(shard: shard))
            #expect(keyspace.deadLetter(forStream: keyspace.ingest(shard: shard)) == keyspace.deadLetter(shard: shard))
        }
        // A partition's records and dead letters go to shard partition mod 3.
        for partition in keyspace.allPartitions {
            #expect(keyspace.deliveries(forPartition: partition) == keyspace.deliveries(shard: partition % 3))
            #expect(keyspace.fleetShard(ofStream: keyspace.events(partition)) == partition % 3)
            #expect(keyspace.fleetShard(ofStream: keyspace.outbox(partition, .email)) == partition % 3)
        }
        #expect(Set(keyspace.allDeliveryStreams.map(RedisHashSlot.init)).count == 3, "no single hot slot")
        #expect(keyspace.fleetShard(ofStream: RedisKey("herald:journeys")) == 0, "an untagged stream belongs to shard 0")
        let one = Keyspace(partitions: 16)
        #expect(one.allDeliveryStreams == [one.deliveries] && one.deliveries.rawValue == "herald:deliveries", "one shard: the names of one Redis")
        #expect(one.deadLetter(forStream: one.events(7)) == one.deadLetter)
    }

    @Test func keysAreFoundWhereEachCommandPutsThem() {
        func keys(_ arguments: [String]) -> [String] {
            RedisCommand(rawArguments: arguments.map { Array($0.utf8) }).keyArguments.map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(keys(["GET", "a"]) == ["a"])
        #expect(keys(["set", "a", "1", "NX"]) == ["a"])
        #expect(keys(["DEL", "a", "b"]) == ["a", "b"])
        #expect(keys(["MSET", "a", "1", "b", "2"]) == ["a", "b"])
        #expect(keys(["EVALSHA", "abc", "2", "k1", "k2", "arg"]) == ["k1", "k2"])
        #expect(keys(["EVALSHA", "abc", "0", "arg"]) == [])
        #expect(keys(["XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "BLOCK", "5", "STREAMS", "s1", "s2", ">", ">"]) == ["s1", "s2"])
        #expect(keys(["XINFO", "STREAM", "s"]) == ["s"])
        #expect(keys(["XINFO", "HELP"]) == [])
        #expect(keys(["XGROUP", "CREATE", "s", "g", "0", "MKSTREAM"]) == ["s"])
        #expect(keys(["MEMORY", "USAGE", "k"]) == ["k"])
        #expect(keys(["MEMORY", "STATS"]) == [])
        #expect(keys(["BLPOP", "l1", "l2", "5"]) == ["l1", "l2"])
        #expect(keys(["PING"]) == [])
        #expect(keys(["SCAN", "0", "MATCH", "x*"]) == [])
        #expect(keys(["MULTI"]) == [])
    }

    @Test func theSlotMapIsReadFromClusterSlots() throws {
        let reply: RESPValue = .array([
            .array([.integer(0), .integer(5460), .array([.bulk(Array("127.0.0.1".utf8)), .integer(7000), .bulk([])]),
                .array([.bulk(Array("127.0.0.1".utf8)), .integer(7003)])]),
            .array([.integer(5461), .integer(16383), .array([.bulk([]), .integer(7001)])]),
        ])
        let topology = try RedisClusterTopology(clusterSlots: reply, queried: RedisNodeAddress(host: "10.0.0.9", port: 7001))
        #expect(topology.masters == [RedisNodeAddress(host: "127.0.0.1", port: 7000), RedisNodeAddress(host: "10.0.0.9", port: 7001)])
        #expect(topology.master(for: RedisHashSlot(rawValue: 5460))?.port == 7000)
        #expect(topology.master(for: RedisHashSlot(rawValue: 5461))?.host == "10.0.0.9", "an empty host is the node asked")
        #expect(topology.shards[0].replicas == [RedisNodeAddress(host: "127.0.0.1", port: 7003)])
        #expect(topology.coversEverySlot)
        var moved = topology
        moved.move(RedisHashSlot(rawValue: 42), to: RedisNodeAddress(host: "127.0.0.1", port: 7002))
        #expect(moved.master(for: RedisHashSlot(rawValue: 42))?.port == 7002)
        #expect(moved.master(for: RedisHashSlot(rawValue: 43))?.port == 7000)
        let partial = try RedisClusterTopology(clusterSlots: .array([reply.array![0]]), queried: RedisNodeAddress(host: "h", port: 1))
        #expect(!partial.coversEverySlot)
        #expect(partial.master(for: RedisHashSlot(rawValue: 9000)) == nil)
        #expect(throws: RedisClientError.self) { try RedisClusterTopology(clusterSlots: .simple("OK"), queried: RedisNodeAddress(host: "h", port: 1)) }
    }

    @Test func clusterURLsAreParsedAndValidated() throws {
        let configuration = try RedisConfiguration(clusterURLs: "redis://:pw@10.0.0.1:7000, redis://10.0.0.2:7001")
        #expect(configuration.isCluster)
        #expect(configuration.clusterSeeds == [RedisNodeAddress(host: "10.0.0.1", port: 7000), RedisNodeAddress(host: "10.0.0.2", port: 7001)])
        #expect(configuration.password == "pw")
        #expect(!configuration.address.contains("pw"))
        #expect(throws: RedisClientError.self) { try RedisConfiguration(clusterURLs: "redis://h:1/2") }
        #expect(throws: RedisClientError.self) { try RedisConfiguration(clusterURLs: "redis://:a@h:1,redis://:b@h:2") }
        #expect(throws: RedisClientError.self) { try RedisConfiguration(clusterURLs: " , ") }
        #expect(throws: RedisClientError.self) {
            try RedisConfiguration.fromEnvironment(["REDIS_URL": "redis://h:1", "REDIS_CLUSTER_URLS": "redis://h:2"])
        }
        #expect(try RedisConfiguration.fromEnvironment(["REDIS_CLUSTER_URLS": "redis://h:2"]).isCluster)
        #expect(try !RedisConfiguration.fromEnvironment(["REDIS_URL": "redis://h:2"]).isCluster)
    }
}
