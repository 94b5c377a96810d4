import Foundation
import HeraldCore

/// Moves due timers from every partition's schedule into the partition's events stream.
///
/// It wakes for the next due timer rather than polling: after each pass it knows the earliest due
/// time across partitions and blocks on the wake-up list until then (at most `maximumSleep`), and
/// evaluators push to that list when they schedule a timer sooner than that. The move itself is one
/// Lua script per partition, so several scheduler replicas never lose or duplicate a timer.
public final class TimerScheduler: Service {
    /// A short name for logs.
    public let name = "scheduler"
    private let configuration: RedisConfiguration
    private let keyspace: Keyspace
    private let batchSize: Int
    private let maximumSleep: Duration
    private let logger: Logger
    private let metrics: Metrics
    private let heartbeat: Heartbeat

    /// Creates a scheduler.
    public init(
        redis configuration: RedisConfiguration, keyspace: Keyspace, batchSize: Int = 1000,
        maximumSleep: Duration = .seconds(1), logger: Logger, metrics: Metrics, heartbeat: Heartbeat
    ) {
        self.configuration = configuration
        self.keyspace = keyspace
        self.batchSize = batchSize
        self.maximumSleep = maximumSleep
        self.logger = logger
        self.metrics = metrics
        self.heartbeat = heartbeat
    }

    /// Fires timers until shutdown.
    public func run(shutdown: GracefulShutdown) async throws {
        let connection = RedisConnection(configuration: configuration, label: "scheduler")
        var backoff = Backoff()
        logger.info("scheduler started", ["partitions": .number(Double(keyspace.partitions))])
        while !shutdown.isTriggered && !Task.isCancelled {
            do {
                let pass = try await firePass(connection)
                heartbeat.beat()
                backoff.reset()
                if pass.saturated { continue }
                let nowMs = Self.nowMilliseconds()
                var wait = maximumSleep
                if let nextDue = pass.nextDue {
                    wait = min(wait, .milliseconds(max(0, nextDue - nowMs)))
                }
                if wait > .zero {
                    try await waitForNextDue(wait, connection: connection, shutdown: shutdown)
                }
            } catch {
                if Task.isCancelled { break }
                heartbeat.turn()
                let delay = backoff.next()
                logger.warning("scheduler error; retrying", ["error": .string("\(error)")])
                await shutdown.sleep(for: delay)
            }
        }
        await connection.close()
        logger.info("scheduler stopped")
    }

    /// Waits until the next due time or an evaluator's wake-up push. Redis ends a BLPOP only on its
    /// periodic tick (every 100 ms at the default `hz 10`), so a blocking wait is cut one tick short
    /// and the last stretch is slept locally: lateness stays in milliseconds whatever `hz` is.
    private func waitForNextDue(_ wait: Duration, connection: RedisConnection, shutdown: GracefulShutdown) async throws {
        let tick = Duration.milliseconds(110)
        if wait <= tick + .milliseconds(40) {
            await shutdown.sleep(for: wait)
            return
        }
        let blocking = wait - tick
        // 0 would block forever.
        let seconds = max(0.01, Double(blocking.components.seconds) + Double(blocking.components.attoseconds) / 1e18)
        _ = try await connection.send(.blpop(keyspace.schedulerWakeup, timeoutSeconds: seconds))
    }

    /// The commands that wake a sleeping scheduler (one pending token is enough). Writers add them
    /// once per batch when they scheduled something due within `wakeHorizon`.
    public static func wakeCommands(_ keyspace: Keyspace) -> [RedisCommand] {
        [.lpush(keyspace.schedulerWakeup, ["1"]), .ltrim(keyspace.schedulerWakeup, keeping: 0, through: 0)]
    }

    /// How soon a new timer must be due for its writer to wake the scheduler; later ones are found
    /// by the scheduler's own next-due check.
    public static let wakeHorizon: TimeInterval = 2

    /// Runs the fire script on every partition in one pipeline.
    func firePass(_ connection: RedisConnection) async throws -> (saturated: Bool, nextDue: Int64?) {
        let nowMs = Self.nowMilliseconds()
        let channels = Channel.allCases
        let calls: [([RedisKey], [any RedisArgument])] = keyspace.allPartitions.map { partition in
            (
                [keyspace.timers(partition), keyspace.timerPayloads(partition), keyspace.events(partition)]
                    + channels.map { keyspace.outbox(partition, $0) },
                [nowMs, batchSize] + channels.map { $0.rawValue as any RedisArgument }
            )
        }
        let replies = try await connection.evaluateMany(HeraldScripts.fireTimers, calls: calls)
        var fired: Int64 = 0
        var saturated = false
        var nextDue: Int64?
        for reply in replies {
            if case .error(let message) = reply { throw RedisServerError(command: "EVALSHA fire-timers", message: message) }
            // An answer of another shape would hide timers that fired, or the next due time.
            guard let parts = reply.array, parts.count == 3, let count = parts[0].int, let due = parts[1].int, let late = parts[2].array else {
                throw RedisServerError(command: "EVALSHA fire-timers", message: "unexpected reply \(reply)")
            }
            fired += count
            for milliseconds in late.compactMap(\.int) { metrics.observe(.timerLateness, Double(max(0, milliseconds)) / 1000) }
            if count >= batchSize { saturated = true }
            if due >= 0 { nextDue = min(nextDue ?? due, due) }
        }
        if fired > 0 {
            metrics.increment(.timersFired, by: Double(fired))
        }
        return (saturated, nextDue)
    }

    /// Timers waiting in each partition's schedule (one ZCARD pipeline), for the metrics sampler.
    public static func pendingTimersSample(keyspace: Keyspace, metrics: Metrics) -> MetricsSampler.Sample {
        { connection in
            let replies = try await connection.pipeline(keyspace.allPartitions.map { .zcard(keyspace.timers($0)) })
            for (partition, reply) in zip(keyspace.allPartitions, replies) {
                if let count = reply.int { metrics.set(.timersPending, to: Double(count), ["partition": String(partition)]) }
            }
        }
    }

    static func nowMilliseconds() -> Int64 { Date().unixMilliseconds }
}
