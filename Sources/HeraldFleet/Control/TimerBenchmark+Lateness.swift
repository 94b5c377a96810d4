import Foundation
import HeraldCore

extension TimerBenchmark {
    /// Loads `pending` far-future timers (measuring Redis memory per timer), then measures firing
    /// lateness in three rounds while they stay pending. Returns figures for the results file and
    /// prints human lines as it goes.
    func runLateness(_ connection: RedisConnection, tag: String) async throws -> [String: String] {
        var results: [String: String] = [:]
        let before = try await usedMemory(connection)
        // Due one to 25 hours ahead, like real waits: none fires during the run.
        let base = Self.nowMs() + 3_600_000
        let spread = Int64(24 * 3_600_000)
        let pendingCount = Int64(max(1, pending))
        let seconds = try await load(count: pending, prefix: "tb\(tag)-pending-", due: { base + Int64($0) * spread / pendingCount }, connection: connection)
        let after = try await usedMemory(connection)
        let perTimer = pending > 0 ? Double(after - before) / Double(pending) : 0
        print("pending timers:    \(pending) loaded in \(String(format: "%.1f", seconds)) s (\(String(format: "%.0f", Double(pending) / max(seconds, 0.001))) timers/s, pipelined ZADD, and HSET of a payload the member does not describe)")
        let sample = Self.timer(user: "tb\(tag)-pending-0", dueMs: base)
        let shape = sample.isDescribedByMember
            ? "a compact sorted-set member of ~\(sample.id.utf8.count) bytes, no payload"
            : "sorted-set member + payload hash field, ~\(sample.json.serialized().utf8.count)-byte payload"
        print("memory per timer:  \(String(format: "%.0f", perTimer)) bytes (used_memory \(before) → \(after); \(shape))")
        let families = try await keyFamilies(connection)
        print("  by key family:   \(TimerBenchmarkKeyFamily.describe(families, per: pending)) bytes per timer (MEMORY USAGE of every key)")
        results["pending"] = String(pending)
        results["bytes_per_timer"] = String(format: "%.0f", perTimer)

        // Round A: probes preloaded, no wake-up pushes: the scheduler's own wake-for-next-due.
        let a = try await preloadedRound(connection, tag: tag)
        print("lateness A:        \(a.line) — \(probes) probes preloaded, due over 10 s, no wake-up pushes")
        results["p50_ms"] = String(format: "%.1f", a.fired.p50)
        results["p99_ms"] = String(format: "%.1f", a.fired.p99)
        results["max_ms"] = String(format: "%.1f", a.fired.max)
        results["landed_p99_ms"] = String(format: "%.1f", a.landed.p99)

        // Rounds B and C: each probe written 50 ms before it is due, 150 ms apart, as an evaluator
        // scheduling a short wait would; B pushes the evaluator's wake-up, C does not.
        let b = try await liveRound(connection, tag: tag, name: "b", wake: true)
        print("lateness B:        \(b.line) — \(liveProbes) probes each written 50 ms before due, with the evaluator's wake-up push")
        let c = try await liveRound(connection, tag: tag, name: "c", wake: false)
        print("lateness C:        \(c.line) — the same without wake-up pushes")
        results["live_wake_p99_ms"] = String(format: "%.1f", b.fired.p99)
        results["live_nowake_p99_ms"] = String(format: "%.1f", c.fired.p99)
        return results
    }

    private func preloadedRound(_ connection: RedisConnection, tag: String) async throws -> TimerBenchmarkLateness {
        let prefix = "tb\(tag)-a-"
        let startLength = try await eventsLength(connection)
        let start = Self.nowMs() + 2000
        let window: Int64 = 10_000
        let count = Int64(max(1, probes))
        try await load(count: probes, prefix: prefix, due: { start + Int64($0) * window / count }, connection: connection)
        _ = try await waitForEvents(startLength + Int64(probes), connection: connection, poll: .milliseconds(200))
        return try await lateness(prefix: prefix, expected: probes, connection: connection)
    }

    private func liveRound(_ connection: RedisConnection, tag: String, name: String, wake: Bool) async throws -> TimerBenchmarkLateness {
        let prefix = "tb\(tag)-\(name)-"
        let startLength = try await eventsLength(connection)
        let clock = ContinuousClock()
        let begin = clock.now
        for index in 0..<liveProbes {
            try await clock.sleep(until: begin + .milliseconds(150 * index))
            let dueMs = Self.nowMs() + 50
            var commands = writes(Self.timer(user: prefix + String(index), dueMs: dueMs), dueMs: dueMs)
            if wake {
                commands += TimerScheduler.wakeCommands(keyspace)
            }
            _ = try await connection.pipeline(commands)
        }
        _ = try await waitForEvents(startLength + Int64(liveProbes), connection: connection, poll: .milliseconds(200))
        return try await lateness(prefix: prefix, expected: liveProbes, connection: connection)
    }

    private func lateness(prefix: String, expected: Int, connection: RedisConnection) async throws -> TimerBenchmarkLateness {
        let entries = try await firedEntries(prefix: prefix, connection: connection)
        guard entries.count == expected else {
            throw TimerBenchmarkError.mismatch(what: "probe timers fired", seen: entries.count, expected: expected)
        }
        var fired: [Double] = []
        var landed: [Double] = []
        for entry in entries {
            guard let due = entry["dueAt"].flatMap(Int64.init), let at = entry["firedAt"].flatMap(Int64.init) else { continue }
            fired.append(Double(at - due))
            landed.append(Double(entry.timestampMilliseconds - due))
        }
        return TimerBenchmarkLateness(fired: TimerBenchmarkQuantiles(fired), landed: TimerBenchmarkQuantiles(landed), count: entries.count)
    }
}
