import Foundation
import Synchronization

/// Pings Redis a few times a second on a connection of its own with a short timeout, so readiness
/// follows Redis within a second or two instead of waiting for a worker's read to fail.
public final class RedisProbe: Service {
    /// A short name for logs.
    public let name = "redis-probe"
    private let configuration: RedisConfiguration
    private let interval: Duration
    private let lastAnswer = Mutex<ContinuousClock.Instant?>(nil)

    /// Creates a probe of `configuration`'s Redis, pinging every `interval`, each PING with a
    /// one-second connect and socket timeout.
    public init(redis configuration: RedisConfiguration, interval: Duration = .milliseconds(250)) {
        var probing = configuration
        probing.connectTimeout = .seconds(1)
        probing.socketTimeout = .seconds(1)
        self.configuration = probing
        self.interval = interval
    }

    /// Whether Redis answered a PING within the last `window`.
    public func answered(within window: Duration) -> Bool {
        lastAnswer.withLock { last in last.map { ContinuousClock.now - $0 < window } ?? false }
    }

    /// Pings until shutdown.
    public func run(shutdown: GracefulShutdown) async throws {
        let connection = RedisConnection(configuration: configuration, label: "probe")
        while !shutdown.isTriggered && !Task.isCancelled {
            if (try? await connection.send(.ping))?.string == "PONG" {
                lastAnswer.withLock { $0 = ContinuousClock.now }
            }
            await shutdown.sleep(for: interval)
        }
        await connection.close()
    }
}
