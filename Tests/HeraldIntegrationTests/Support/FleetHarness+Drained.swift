import Foundation
import HeraldCore

extension FleetHarness {
    /// Whether the evaluators have nothing left to read or acknowledge.
    func processedAll(_ connection: RedisConnection) async throws -> Bool {
        try await Self.undrained(keyspace.allIngestStreams + keyspace.allPartitions.map(keyspace.events), connection: connection) == nil
    }

    /// Whether nothing is left anywhere: every consumer group of the ingest, events and outbox
    /// streams has read everything and acknowledged it, and no timer is due. Call it once the
    /// test's workers run (each creates its group at start). Tests wait for this
    /// instead of sleeping before they check that nothing more happened.
    func drained(_ connection: RedisConnection) async throws -> Bool {
        try await undrained(connection) == nil
    }

    /// What is still left (a stream and its group's state, or due timers), or `nil` when drained.
    func undrained(_ connection: RedisConnection) async throws -> String? {
        // A stream nobody reads in this test (no worker of that kind runs, so no group) is not waited on.
        let streams = keyspace.allIngestStreams + keyspace.allPartitions.map(keyspace.events)
            + Channel.allCases.flatMap { channel in keyspace.allPartitions.map { keyspace.outbox($0, channel) } }
        if let left = try await Self.undrained(streams, connection: connection, unreadMayHoldEntries: true) { return left }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for partition in keyspace.allPartitions {
            let due = try await connection.send("ZCOUNT", keyspace.timers(partition), "-inf", now).int ?? 0
            if due > 0 { return "\(due) timers due in partition \(partition)" }
        }
        return nil
    }

    /// Whether every group on `streams` has read everything and acknowledged it (`nil`), else
    /// what is left; a stream without a group must be empty unless `unreadMayHoldEntries`.
    static func undrained(_ streams: [RedisKey], connection: RedisConnection, unreadMayHoldEntries: Bool = false) async throws -> String? {
        for stream in streams {
            if try await connection.send("EXISTS", stream).int != 1 { continue }
            let groups = try await connection.send("XINFO", "GROUPS", stream).array ?? []
            let newest = try await connection.send("XINFO", "STREAM", stream).fields["last-generated-id"]?.string
            for group in groups {
                let fields = group.fields
                let pending = fields["pending"]?.int
                // Handed the newest id: nothing left to read. Redis's own lag is only an estimate
                // (stale after an AOF reload); one it cannot compute (nil) counts as not drained.
                let caughtUp = fields["last-delivered-id"]?.string == newest || fields["lag"]?.int == 0
                if pending != 0 || !caughtUp {
                    return "\(stream) group \(fields["name"]?.string ?? "?"): pending \(pending.map(String.init) ?? "?"), last delivered \(fields["last-delivered-id"]?.string ?? "?") of \(newest ?? "?")"
                }
            }
            if groups.isEmpty, !unreadMayHoldEntries, try await connection.send("XLEN", stream).int ?? 0 > 0 { return "\(stream) has entries and no group" }
        }
        return nil
    }

    /// Whether every group on `streams` has read everything and acknowledged it.
    static func drained(_ streams: [RedisKey], connection: RedisConnection) async throws -> Bool {
        try await undrained(streams, connection: connection) == nil
    }
}
