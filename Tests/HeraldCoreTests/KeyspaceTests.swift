import HeraldCore
import Testing

@Suite struct KeyspaceTests {
    @Test func everyPartitionKeyCarriesItsHashTag() {
        let keyspace = Keyspace(prefix: "herald", partitions: 16)
        let partition = keyspace.partition(ofUser: "user-42")
        #expect((0..<16).contains(partition))
        let tag = "{p\(partition)}"
        let keys = [
            keyspace.events(partition), keyspace.outbox(partition, .email), keyspace.dedupe(partition),
            keyspace.profile(partition, user: "user-42"), keyspace.journeyState(partition, user: "user-42"),
            keyspace.trail(partition, user: "user-42"), keyspace.timers(partition), keyspace.timerPayloads(partition),
            keyspace.lease(partition), keyspace.fence(partition), keyspace.appliedInputs(partition),
            keyspace.idempotency(partition, key: "k"), keyspace.journeyStats(partition, journey: "j"), keyspace.activity(partition),
            keyspace.trailLog(partition, user: "user-42"), keyspace.memberships(partition, user: "user-42"),
            keyspace.listMembers(partition, list: "vip-early-access"),
        ]
        for key in keys {
            // Redis Cluster hashes only the text between the first { and the next }.
            let text = key.rawValue
            let open = text.firstIndex(of: "{")!
            let close = text[open...].firstIndex(of: "}")!
            #expect(String(text[open...close]) == tag, "\(text)")
        }
        #expect(keyspace.ingest.rawValue == "herald:ingest")
        #expect(!keyspace.ingest.rawValue.contains("{"))
    }

    @Test func partitionsSpreadUsersAndAreStable() {
        let keyspace = Keyspace(partitions: 8)
        var counts = [Int](repeating: 0, count: 8)
        for index in 0..<8000 { counts[keyspace.partition(ofUser: "user-\(index)")] += 1 }
        #expect(counts.allSatisfy { $0 > 700 && $0 < 1300 }, "\(counts)")
        #expect(keyspace.partition(ofUser: "ann") == Keyspace(partitions: 8).partition(ofUser: "ann"))
    }
}
