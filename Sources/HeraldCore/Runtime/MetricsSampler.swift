import Foundation

/// Samples gauges that need a Redis read (stream lag and pending, timers waiting) or another
/// component's state (leases, breakers) every `interval`, on a connection of its own, so a scrape
/// only renders what is already in `Metrics` and nothing on the hot path waits for it.
public final class MetricsSampler: Service {
    /// One sampling step; it sets gauges in the process's `Metrics`.
    public typealias Sample = @Sendable (RedisConnection) async throws -> Void

    /// A short name for logs.
    public let name = "metrics-sampler"
    private let configuration: RedisConfiguration
    private let interval: Duration
    private let samples: [Sample]
    private let logger: Logger

    /// Creates a sampler that runs every step of `samples` each `interval`.
    public init(redis configuration: RedisConfiguration, interval: Duration, samples: [Sample], logger: Logger) {
        self.configuration = configuration
        self.interval = interval
        self.samples = samples
        self.logger = logger
    }

    /// Samples until shutdown; a failed round is logged at debug level (the worker loops already
    /// warn about an unreachable Redis) and the gauges keep their last values.
    public func run(shutdown: GracefulShutdown) async throws {
        let connection = RedisConnection(configuration: configuration, label: name)
        while !shutdown.isTriggered && !Task.isCancelled {
            for sample in samples {
                do {
                    try await sample(connection)
                } catch {
                    logger.debug("metrics sample failed", ["error": .string("\(error)")])
                }
            }
            await shutdown.sleep(for: interval)
        }
        await connection.close()
    }

    /// Lag, pending count and oldest pending age of `group` on every stream `streams` names:
    /// one pipeline of XINFO GROUPS, one of XPENDING for the streams with something pending.
    public static func streamGroups(group: String, streams: @escaping @Sendable () -> [RedisKey], metrics: Metrics) -> Sample {
        { connection in
            let keys = streams()
            let infos = try await connection.pipeline(keys.map { .xinfoGroups($0) })
            var kept: [[String: String]] = []
            var withPending: [RedisKey] = []
            for (stream, reply) in zip(keys, infos) {
                // A stream that does not exist yet (nothing was ever written) has no group to measure.
                guard let groups = reply.array else { continue }
                guard let info = groups.map(\.fields).first(where: { $0["name"]?.string == group }) else { continue }
                let labels = ["stream": stream.rawValue, "group": group]
                kept.append(labels)
                // Redis cannot always compute lag (after some deletions): then the series is left out.
                if let lag = info["lag"]?.int {
                    metrics.set(.streamLag, to: Double(lag), labels)
                }
                let pending = info["pending"]?.int ?? 0
                metrics.set(.streamPending, to: Double(pending), labels)
                if pending > 0 { withPending.append(stream) } else { metrics.set(.streamOldestPendingAge, to: 0, labels) }
            }
            let summaries = try await connection.pipeline(withPending.map { .xpendingSummary($0, group: group) })
            let now = Date().timeIntervalSince1970
            for (stream, summary) in zip(withPending, summaries) {
                // XPENDING's summary: count, smallest id, greatest id, consumers; an id starts with its
                // XADD time in milliseconds.
                guard let parts = summary.array, parts.count > 1, let oldest = parts[1].string,
                      let milliseconds = Double(oldest.split(separator: "-").first ?? "") else { continue }
                metrics.set(.streamOldestPendingAge, to: max(0, now - milliseconds / 1000), ["stream": stream.rawValue, "group": group])
            }
            for family in [MetricFamily.streamLag, .streamPending, .streamOldestPendingAge] {
                metrics.retain(family, only: kept, within: ["group": group])
            }
            metrics.set(.streamSampleTime, to: now)
        }
    }
}
