import Foundation

/// What a Herald executable's `main` needs: configuration, logging, metrics, health.
public struct FleetProcess: Sendable {
    /// The executable's name (`herald-ingestor` …).
    public let name: String
    /// Settings from the environment.
    public let configuration: FleetConfiguration
    /// The process's logger.
    public let logger: Logger
    /// The process's metrics.
    public let metrics: Metrics
    /// Health from Redis round trips.
    public let heartbeat: Heartbeat

    /// Runs an executable: reads configuration, builds its services, serves health and metrics,
    /// and runs until SIGTERM/SIGINT have drained it. Exits 1 with a clear line on a fatal error.
    /// `--help` prints `helpText(for:)` and exits 0 without reading the configuration or connecting.
    @MainActor
    public static func main(_ name: String, services build: (FleetProcess) throws -> [any Service]) async -> Never {
        if asksForHelp() {
            print(helpText(for: name))
            exit(0)
        }
        let logger = Logger(service: name)
        do {
            let configuration = try FleetConfiguration(
                reader: ConfigurationReader(environment: ProcessInfo.processInfo.environment, executable: HeraldExecutable(rawValue: name)))
            let process = FleetProcess(
                name: name, configuration: configuration, logger: logger, metrics: Metrics(), heartbeat: Heartbeat())
            process.metrics.register([.buildInfo, .processCPU, .processResidentMemory, .processOpenFDs, .processStartTime, .deadLetters])
            process.metrics.set(.buildInfo, to: 1, ["service": name, "version": HeraldBuild.version, "swift": HeraldBuild.swift])
            var services = try build(process)
            if let port = configuration.metricsPort {
                // Ready: Redis answered a probe within 1.5 s (false within 3 s of losing it, true
                // within 0.25 s of its return) and the workers have read at least once.
                let probe = RedisProbe(redis: configuration.redis)
                let heartbeat = process.heartbeat
                services.append(probe)
                let routes = HealthEndpoints.router(
                    metrics: process.metrics, isLive: { heartbeat.isLive },
                    isReady: { probe.answered(within: .milliseconds(1500)) && heartbeat.hasBeaten })
                services.append(HTTPServer(
                    name: "health", host: "0.0.0.0", port: port, limits: .health, responder: routes, logger: logger))
            }
            logger.info("starting", ["redis": .string(configuration.redis.address), "prefix": .string(configuration.keyspace.prefix), "partitions": .number(Double(configuration.keyspace.partitions))])
            try await ServiceGroup(services: services, logger: logger).run()
            logger.info("stopped")
            exit(0)
        } catch {
            logger.error("fatal", ["error": .string("\(error)")])
            exit(1)
        }
    }

    /// The sampler of this process's Redis-backed gauges (every `FleetConfiguration.metricsInterval`),
    /// or nothing when the process serves no metrics (`HERALD_METRICS_PORT` unset).
    public func metricsSampler(_ samples: [MetricsSampler.Sample]) throws -> [any Service] {
        guard configuration.metricsPort != nil, !samples.isEmpty else { return [] }
        return [MetricsSampler(redis: configuration.redis, interval: configuration.metricsInterval, samples: samples, logger: logger)]
    }
}
