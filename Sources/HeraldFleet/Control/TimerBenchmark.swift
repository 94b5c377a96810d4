import Foundation
import HeraldCore
import HeraldJourneys

/// The timer benchmark, driven by `scripts/bench-timers` against real `herald-scheduler` processes
/// (and, for the instance phase, a real ingestor and evaluator). It answers three questions:
///
/// - **Lateness with `pending` timers pending:** it loads `pending` timers due hours ahead (they
///   never fire during the run) straight into the partitions' sorted sets and payload hashes, as the
///   evaluator writes them, then measures `firedAt − dueAt` of probe timers due in the next seconds.
///   Round A preloads the probes and pushes no wake-ups (the scheduler's own wake-for-next-due);
///   rounds B and C schedule each probe shortly before it is due, with and without the evaluator's
///   wake-up push.
/// - **Burst:** `burst` timers due at the same instant; timers fired per second, and a check that
///   every one fired exactly once.
/// - **Memory:** Redis `used_memory` per pending timer, and per live journey instance of a real fleet.
public struct TimerBenchmark: Sendable {
    /// Where the fleet runs.
    public var keyspace: Keyspace
    /// The Redis the fleet uses.
    public var redis: RedisConfiguration
    /// Far-future timers to load before measuring lateness.
    public var pending: Int
    /// Timers due at the same instant in the burst.
    public var burst: Int
    /// Preloaded probe timers of round A.
    public var probes: Int
    /// Probe timers of each live round (B and C).
    public var liveProbes: Int
    /// Users publishing one `Cart Updated` each in the instance phase.
    public var users: Int
    /// Scheduler replicas running (only labels the burst figure; the script starts them).
    public var replicas: Int
    /// How long to wait for any one phase.
    public var timeout: Duration

    /// Timers written per pipelined round trip while loading.
    static let loadBatch = 5000

    /// Creates a benchmark.
    public init(
        keyspace: Keyspace, redis: RedisConfiguration, pending: Int, burst: Int, probes: Int = 2000, liveProbes: Int = 100,
        users: Int = 20_000, replicas: Int = 1, timeout: Duration = .seconds(600)
    ) {
        self.keyspace = keyspace
        self.redis = redis
        self.pending = pending
        self.burst = burst
        self.probes = probes
        self.liveProbes = liveProbes
        self.users = users
        self.replicas = replicas
        self.timeout = timeout
    }

    /// A run-unique tag for user ids, so figures only count this run's timers.
    static func runTag() -> String { String(UInt32.random(in: 0...UInt32.max), radix: 16) }

    /// Now, in whole milliseconds since 1970.
    static func nowMs() -> Int64 { Date().unixMilliseconds }

    /// A timer shaped exactly like the ones the engine schedules for a `wait` step of the
    /// abandoned-cart journey (`JourneyTimer.json`), for `user`, due at `dueMs`.
    static func timer(user: String, dueMs: Int64) -> JourneyTimer {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(user)|abandoned-cart|1|c-\(user)|Cart Updated".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let instanceId = "abandoned-cart-" + String(hash, radix: 16)
        return JourneyTimer(
            id: JourneyTimer.instanceTimerId(user: user, journey: "abandoned-cart", instanceId: instanceId, step: "wait-30m", kind: .resume), userId: user, journey: "abandoned-cart", version: 1,
            instanceId: instanceId, step: "wait-30m", kind: .resume, dueAt: Date(unixMilliseconds: dueMs))
    }

    /// The writes the evaluator's `apply-effects.lua` makes for a scheduled timer: its member, and
    /// its payload only when the member does not describe it (`JourneyTimer.isDescribedByMember`).
    func writes(_ timer: JourneyTimer, dueMs: Int64) -> [RedisCommand] {
        let partition = keyspace.partition(ofUser: timer.userId)
        var commands: [RedisCommand] = [.zadd(keyspace.timers(partition), score: dueMs, member: timer.id)]
        if !timer.isDescribedByMember {
            commands.append(.hset(keyspace.timerPayloads(partition), fields: [(timer.id, timer.json.serialized())]))
        }
        return commands
    }

    /// Loads `count` timers for users `prefix0…`, due at `due(index)`, in pipelined batches;
    /// returns the seconds it took.
    @discardableResult
    func load(count: Int, prefix: String, due: (Int) -> Int64, connection: RedisConnection) async throws -> Double {
        let start = ContinuousClock.now
        var index = 0
        while index < count {
            var commands: [RedisCommand] = []
            commands.reserveCapacity(Self.loadBatch * 2)
            for offset in index..<min(index + Self.loadBatch, count) {
                let dueMs = due(offset)
                commands += writes(Self.timer(user: prefix + String(offset), dueMs: dueMs), dueMs: dueMs)
            }
            for reply in try await connection.pipeline(commands) {
                if case .error(let message) = reply { throw RedisServerError(command: "ZADD/HSET", message: message) }
            }
            index += Self.loadBatch
        }
        return Self.seconds(ContinuousClock.now - start)
    }

    /// Redis's `used_memory`, in bytes.
    func usedMemory(_ connection: RedisConnection) async throws -> Int64 {
        let text = try await connection.send(.info("memory")).string ?? ""
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("used_memory:") {
            if let value = Int64(line.dropFirst("used_memory:".count)) { return value }
        }
        throw TimerBenchmarkError.noUsedMemory
    }

    /// The total length of every partition's events stream.
    func eventsLength(_ connection: RedisConnection) async throws -> Int64 {
        let replies = try await connection.pipeline(keyspace.allPartitions.map { .xlen(keyspace.events($0)) })
        return replies.reduce(0) { $0 + ($1.int ?? 0) }
    }

    /// Waits until the events streams hold `target` entries in all; returns when that was seen.
    func waitForEvents(_ target: Int64, connection: RedisConnection, poll: Duration = .milliseconds(5)) async throws -> Date {
        let deadline = ContinuousClock.now + timeout
        var length: Int64 = 0
        while ContinuousClock.now < deadline {
            length = try await eventsLength(connection)
            if length >= target { return Date() }
            try await Task.sleep(for: poll)
        }
        throw TimerBenchmarkError.timedOut(what: "fired timers", seen: Int(length), expected: Int(target))
    }

    /// Every fired timer entry on the events streams whose timer id starts with `prefix`.
    func firedEntries(prefix: String, connection: RedisConnection) async throws -> [StreamEntry] {
        var found: [StreamEntry] = []
        for partition in keyspace.allPartitions {
            let stream = keyspace.events(partition)
            var cursor = "-"
            while true {
                let reply = try await connection.send(.xrange(stream, from: cursor, count: 10_000))
                let entries = RedisConnection.parseEntries(reply.array ?? [], stream: stream)
                found += entries.filter { entry in
                    guard let id = entry["timerId"] else { return false }
                    return (JourneyTimer(member: id, dueAtMilliseconds: 0)?.userId ?? id).hasPrefix(prefix)
                }
                guard let last = entries.last, entries.count == 10_000 else { break }
                cursor = "(" + last.id
            }
        }
        return found
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The `q` quantile (nearest rank) of sorted `values`.
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        values.isEmpty ? 0 : values[min(values.count - 1, Int((Double(values.count - 1) * q).rounded()))]
    }
}
