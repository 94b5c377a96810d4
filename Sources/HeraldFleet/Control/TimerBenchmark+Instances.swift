import Foundation
import HeraldCore

extension TimerBenchmark {
    /// Publishes one `Cart Updated` for each of `users` new users through a running ingestor and
    /// evaluator with the abandoned-cart journey published: each creates one live instance waiting
    /// 30 minutes. Measures `used_memory` before and after, less the per-event input (ingest and
    /// events streams, dedupe and applied-input sets), per instance; and each kind of key's own
    /// `MEMORY USAGE`.
    func runInstances(_ connection: RedisConnection, tag: String) async throws -> [String: String] {
        let userIds = (0..<users).map { "tbi\(tag)-\($0)" }
        let transientBefore = try await memoryUsage(transientKeys, connection)
        let before = try await usedMemory(connection)
        let timersBefore = try await pendingTimers(connection)
        let now = ISO8601.format(Date())
        let payloads = userIds.enumerated().map { index, user in
            Array(#"{"type":"track","messageId":"tbi\#(tag)-\#(index)","userId":"\#(user)","event":"Cart Updated","properties":{"cart_id":"c-\#(index)","item_count":2,"total":89.5,"items":[{"name":"Kettle","price":49.5,"quantity":1},{"name":"Mug","price":20,"quantity":2}]},"timestamp":"\#(now)","context":{"locale":"en-US"}}"#.utf8)
        }
        let start = ContinuousClock.now
        try await EventPublisher(keyspace: keyspace, batchSize: 1000).publish(payloads: payloads, connection: connection)
        let deadline = start + timeout
        var waiting: Int64 = 0
        while ContinuousClock.now < deadline {
            waiting = try await pendingTimers(connection) - timersBefore
            if waiting >= Int64(users) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard waiting >= Int64(users) else { throw TimerBenchmarkError.timedOut(what: "waiting instances (one timer each)", seen: Int(waiting), expected: users) }
        print("instances:         \(users) users' Cart Updated → \(waiting) instances waiting 30 min, in \(String(format: "%.1f", Self.seconds(ContinuousClock.now - start))) s")
        // Let the workers acknowledge and trim their input streams.
        try await Task.sleep(for: .seconds(2))
        let after = try await usedMemory(connection)
        let transientAfter = try await memoryUsage(transientKeys, connection)
        let states = try await memoryUsage(userIds.map { keyspace.journeyState(keyspace.partition(ofUser: $0), user: $0) }, connection)
        let trails = try await memoryUsage(userIds.map { keyspace.trailLog(keyspace.partition(ofUser: $0), user: $0) }, connection)
        let timers = try await memoryUsage(keyspace.allPartitions.flatMap { [keyspace.timers($0), keyspace.timerPayloads($0)] }, connection)
        let stats = try await memoryUsage(keyspace.allPartitions.map { keyspace.journeyStats($0, journey: "abandoned-cart") }, connection)
        let delta = Double(after - before)
        let input = Double(transientAfter - transientBefore)
        let perInstance = (delta - input) / Double(users)
        func per(_ bytes: Int64) -> String { String(format: "%.1f", Double(bytes) / Double(users)) }
        print("memory/instance:   \(String(format: "%.0f", perInstance)) bytes = (used_memory \(before) → \(after), Δ \(after - before), less Δ \(transientAfter - transientBefore) of input streams, dedupe and applied-input sets) ÷ \(users)")
        print("  by MEMORY USAGE: state blob \(per(states)), trail list \(per(trails)), timer (sorted set + payload hash) \(per(timers)), stats hashes (shared per partition) \(per(stats)) bytes per instance")
        print("  all of Δ:        \(String(format: "%.0f", delta / Double(users))) bytes per instance including what is left of the input streams, dedupe and applied-input sets")
        let families = try await keyFamilies(connection)
        print("  by key family:   \(TimerBenchmarkKeyFamily.describe(families, per: users)) bytes per instance (MEMORY USAGE of every key)")
        let lasting = families.filter { !Self.transientFamilies.contains($0.name) }.reduce(Int64(0)) { $0 + $1.bytes }
        print("  not in those:    \(String(format: "%.0f", perInstance - Double(lasting) / Double(users))) bytes per instance of the figure above outside the lasting families' MEMORY USAGE (key table buckets, expiry entries, allocator rounding)")
        return ["instances": String(users), "bytes_per_instance": String(format: "%.0f", perInstance)]
    }

    /// Keys that grow per event rather than per instance: the input streams, the producers'
    /// messageIds (dedupe window) and the applied input ids (the evaluator's 15-minute redelivery
    /// window), each bounded by its own time window (docs/operations.md).
    private var transientKeys: [RedisKey] {
        keyspace.allIngestStreams + keyspace.allRejectedStreams + keyspace.allDeadLetterStreams
            + keyspace.allPartitions.flatMap { [keyspace.events($0), keyspace.dedupe($0), keyspace.appliedInputs($0)] }
    }

    /// The families of `transientKeys`, left out of the per-instance figure.
    static let transientFamilies: Set<String> = ["ingest", "rejected", "dead-letter", "events", "dedupe", "applied"]

    private func pendingTimers(_ connection: RedisConnection) async throws -> Int64 {
        try await connection.pipeline(keyspace.allPartitions.map { .zcard(keyspace.timers($0)) })
            .reduce(0) { $0 + ($1.int ?? 0) }
    }

    /// The sum of `MEMORY USAGE key SAMPLES 0` (every element counted) over `keys`.
    private func memoryUsage(_ keys: [RedisKey], _ connection: RedisConnection) async throws -> Int64 {
        var total: Int64 = 0
        var index = 0
        while index < keys.count {
            let chunk = keys[index..<min(index + 5000, keys.count)]
            let replies = try await connection.pipeline(chunk.map { .memoryUsage($0) })
            total += replies.reduce(0) { $0 + ($1.int ?? 0) }
            index += 5000
        }
        return total
    }
}
