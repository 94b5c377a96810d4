import Foundation
import HeraldCore
import Synchronization

/// Erases users inactive for `inactivity` the way `Forget User` does: every `interval`, for each
/// partition this evaluator leases, it reads at most `batchSize` users whose last activity
/// (`Keyspace.activity`, written by `ingest.lua` when an event is accepted) is older than the
/// cutoff, and puts a `Forget User` request for each on the partition's events stream. The
/// evaluator applies it in order with the user's other inputs, fenced and atomic per partition
/// (`UserErasure`, `forget.lua`), and records it in `herald:erasures` with `requestedBy`
/// `herald:inactivity` and no data. The request carries the activity time it was found with: if the
/// user was active again since (or was erased already), `forget.lua` erases nothing.
public final class InactivitySweep: Service {
    /// A name for logs.
    public let name = "inactivity-sweep"
    /// Who an inactivity erasure is recorded as requested by.
    public static let requestedBy = "herald:inactivity"

    private let redis: RedisConfiguration
    private let keyspace: Keyspace
    private let leases: PartitionLeases
    private let inactivityMilliseconds: Int64
    private let interval: Duration
    private let batchSize: Int
    private let logger: Logger
    private let metrics: Metrics
    /// Requests put on a stream and not yet applied, by user, with the activity time they carry,
    /// so a backlog is not asked again each round.
    private let requested = Mutex<[String: Int64]>([:])

    /// Creates a sweep; `inactivityMilliseconds` 0 turns it off.
    public init(
        redis: RedisConfiguration, keyspace: Keyspace, leases: PartitionLeases, inactivityMilliseconds: Int64, interval: Duration,
        batchSize: Int = 100, logger: Logger, metrics: Metrics
    ) {
        self.redis = redis
        self.keyspace = keyspace
        self.leases = leases
        self.inactivityMilliseconds = inactivityMilliseconds
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
        self.metrics = metrics
    }

    /// Sweeps every `interval` until shutdown.
    public func run(shutdown: GracefulShutdown) async throws {
        guard inactivityMilliseconds > 0 else { return }
        let connection = RedisConnection(configuration: redis, label: "inactivity")
        while !shutdown.isTriggered && !Task.isCancelled {
            do {
                let asked = try await sweep(connection: connection, now: Date())
                if asked > 0 { logger.info("inactive users to erase", ["requests": .number(Double(asked))]) }
            } catch {
                logger.warning("inactivity sweep failed; next round retries", ["error": .string("\(error)")])
            }
            _ = await shutdown.sleep(for: interval)
        }
    }

    /// One round over the leased partitions; returns how many erasure requests it put on streams.
    public func sweep(connection: RedisConnection, now: Date) async throws -> Int {
        let nowMilliseconds = now.unixMilliseconds
        let cutoff = nowMilliseconds - inactivityMilliseconds
        var asked = 0
        for partition in leases.owned.keys.sorted() {
            let reply = try await connection.send(.zrangeByScoreWithScores(keyspace.activity(partition), from: .negativeInfinity, to: .inclusive(cutoff), limit: batchSize))
            let pairs = reply.fieldPairs
            var commands: [RedisCommand] = []
            for (user, score) in pairs {
                guard let last = score.string.flatMap(Int64.init) else { continue }
                if requested.withLock({ $0[user] == last }) { continue }
                commands.append(PartitionInput.event(Self.request(user: user, lastActivity: last, now: now)).command(to: keyspace.events(partition)))
                requested.withLock { $0[user] = last }
            }
            if commands.isEmpty { continue }
            for reply in try await connection.pipeline(commands) {
                if case .error(let message) = reply { throw RedisServerError(command: "XADD inactivity erasure", message: message) }
            }
            asked += commands.count
        }
        // Forget what was asked long ago: applied or not, it may be asked again.
        requested.withLock { if $0.count > 100_000 { $0.removeAll() } }
        if asked > 0 { metrics.increment(.inactivityErasuresRequested, by: Double(asked)) }
        return asked
    }

    /// The `Forget User` request for `user` (a user key), found inactive since `lastActivity` (ms).
    static func request(user: String, lastActivity: Int64, now: Date) -> Event {
        let anonymous = user.hasPrefix("anon:")
        return Event(
            type: .track, messageId: "inactivity:\(lastActivity)", userId: anonymous ? nil : user,
            anonymousId: anonymous ? String(user.dropFirst(5)) : nil, event: UserErasure.eventName,
            properties: ["requestedBy": .string(requestedBy), "inactiveSince": .number(Double(lastActivity))], timestamp: now)
    }
}
