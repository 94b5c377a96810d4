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
            let configuration = try FleetConfiguration()
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

    /// The sampler of this process's Redis-backed gauges (`HERALD_METRICS_INTERVAL_MS`, default
    /// 5000), or nothing when the process serves no metrics (`HERALD_METRICS_PORT` unset).
    public func metricsSampler(_ samples: [MetricsSampler.Sample]) throws -> [any Service] {
        guard configuration.metricsPort != nil, !samples.isEmpty else { return [] }
        let interval = try configuration.milliseconds("HERALD_METRICS_INTERVAL_MS") ?? 5000
        return [MetricsSampler(redis: configuration.redis, interval: .milliseconds(interval), samples: samples, logger: logger)]
    }

    /// Options for worker loop `index` of this process, with environment overrides applied.
    public func workerOptions(group: String, index: Int, batchSize: Int = 256) throws -> StreamWorkerOptions {
        var options = StreamWorkerOptions(
            group: group, consumer: ProcessIdentity.consumerName(index: index), batchSize: batchSize,
            deadLetter: configuration.keyspace.deadLetter
        )
        options.deadLetterShards = configuration.keyspace.allDeadLetterStreams
        return try options.applyingEnvironment(configuration.environment)
    }
}
