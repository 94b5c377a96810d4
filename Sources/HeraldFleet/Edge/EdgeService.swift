import HeraldCore
import Synchronization

/// The edge's listener as a fleet service: serves the edge's routes with `/livez` and `/readyz`,
/// counts and logs every exchange, and on shutdown first answers `/readyz` with 503 for the
/// readiness grace, then drains.
public final class EdgeService: Service {
    /// A short name for logs.
    public let name = "edge"
    private let server: HTTPServer
    private let probe: RedisProbe
    private let heartbeat: Heartbeat
    private let grace: Duration
    private let draining: Draining
    private let logger: Logger
    private let host: String

    /// Whether the edge is shutting down (shared with the readiness route).
    final class Draining: Sendable {
        private let state = Atomic<Bool>(false)
        var isOn: Bool { state.load(ordering: .acquiring) }
        func begin() { state.store(true, ordering: .releasing) }
    }

    /// Creates the service for `routes` (the features' routes; the probes are added here).
    public init(configuration: EdgeConfiguration, routes: HTTPRouter, process: FleetProcess) {
        let probe = RedisProbe(redis: process.configuration.redis)
        let draining = Draining()
        var router = HealthEndpoints.probes(
            isLive: { true }, isReady: { !draining.isOn && probe.answered(within: .milliseconds(1500)) })
        router.include(routes)
        let named = router
        let log = EdgeAccessLog(logger: process.logger.with(["log": "access"]), metrics: process.metrics) { named.routeName(for: $0) }
        self.server = HTTPServer(
            name: "edge", host: configuration.host, port: configuration.port, limits: configuration.limits, responder: router,
            logger: process.logger, observer: log.record)
        self.probe = probe
        self.heartbeat = process.heartbeat
        self.grace = configuration.readinessGrace
        self.draining = draining
        self.logger = process.logger
        self.host = configuration.host
    }

    /// The port bound, while running.
    public var boundPort: Int? { server.boundPort }

    /// Serves until shutdown, then drains.
    public func run(shutdown: GracefulShutdown) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.probe.run(shutdown: shutdown) }
            group.addTask {
                // The edge has no stream loop: its turn is the probe, so the process's own health
                // endpoint (HERALD_METRICS_PORT) reports it live and, once Redis answered, ready.
                while !shutdown.isTriggered {
                    self.heartbeat.turn()
                    if self.probe.answered(within: .milliseconds(1500)) { self.heartbeat.beat() }
                    await shutdown.sleep(for: .milliseconds(250))
                }
            }
            let bound = try server.start()
            logger.info("edge listening", ["host": .string(host), "port": .number(Double(bound))])
            await shutdown.wait()
            draining.begin()
            if grace > .zero { try? await Task.sleep(for: grace) }
            await server.stop()
            try await group.waitForAll()
        }
    }
}
