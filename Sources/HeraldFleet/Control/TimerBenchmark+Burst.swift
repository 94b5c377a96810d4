import Foundation
import HeraldCore

extension TimerBenchmark {
    /// Loads `burst` timers all due at one instant a few seconds ahead (whatever else is pending
    /// stays pending), waits until they have fired, and checks that each fired exactly once.
    func runBurst(_ connection: RedisConnection, tag: String) async throws -> [String: String] {
        let prefix = "tb\(tag)-burst\(replicas)-"
        let startLength = try await eventsLength(connection)
        // Enough time to load them all before they fall due (loading runs at well over 20 k/s).
        let dueMs = Self.nowMs() + 3000 + Int64(burst) / 20
        let loadSeconds = try await load(count: burst, prefix: prefix, due: { _ in dueMs }, connection: connection)
        let loadedAt = Self.nowMs()
        guard loadedAt < dueMs else { throw TimerBenchmarkError.loadTooSlow(seconds: loadSeconds) }
        let done = try await waitForEvents(startLength + Int64(burst), connection: connection)
        let entries = try await firedEntries(prefix: prefix, connection: connection)
        let distinct = Set(entries.compactMap { $0["timerId"] }).count
        let left = try await connection.pipeline(keyspace.allPartitions.map {
            RedisCommand.zcount(keyspace.timers($0), from: .inclusive(dueMs), to: .inclusive(dueMs))
        }).reduce(Int64(0)) { $0 + ($1.int ?? 0) }
        let firedAt = entries.compactMap { $0["firedAt"].flatMap(Int64.init) }
        let firstFired = firedAt.min() ?? dueMs
        let lastLanded = entries.map(\.timestampMilliseconds).max() ?? dueMs
        let span = max(1, lastLanded - firstFired)
        let wall = max(0.001, done.timeIntervalSince(Date(unixMilliseconds: dueMs)))
        let perSecond = Double(entries.count) / (Double(span) / 1000)
        let ok = entries.count == burst && distinct == burst && left == 0
        let label = replicas == 1 ? "1 scheduler replica" : "\(replicas) scheduler replicas"
        print("burst (\(label)): \(entries.count) fired, \(distinct) distinct timer ids, \(left) left pending: \(ok ? "no loss, no duplicates" : "MISMATCH")")
        print("  fired/s:         \(String(format: "%.0f", perSecond)) (first firedAt → last entry landed: \(span) ms); wall clock due → all seen: \(String(format: "%.2f", wall)) s = \(String(format: "%.0f", Double(burst) / wall))/s; first firedAt − due \(firstFired - dueMs) ms")
        guard ok else { throw TimerBenchmarkError.mismatch(what: "burst timers fired once each", seen: distinct, expected: burst) }
        let key = replicas == 1 ? "fired_per_s" : "fired_per_s_\(replicas)r"
        return ["burst": String(burst), key: String(format: "%.0f", perSecond)]
    }
}
