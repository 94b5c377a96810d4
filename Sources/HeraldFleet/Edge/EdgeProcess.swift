import HeraldCore

/// What `herald-edge` runs: one stateless listener whose routes write only Redis streams.
public enum EdgeProcess {
    /// The edge's services for `process`.
    public static func services(_ process: FleetProcess) throws -> [any Service] {
        let environment = process.configuration.environment
        let configuration = try EdgeConfiguration(environment: environment)
        let keyspace = process.configuration.keyspace
        let writer = RedisEdgeStreamWriter(
            connection: RedisConnection(configuration: process.configuration.redis, label: "edge"), keyspace: keyspace,
            rejectedRetention: try StreamRetention.rejected(keyspace.rejected, environment: environment),
            dedupeWindowMilliseconds: try process.configuration.milliseconds("HERALD_DEDUPE_WINDOW_MS") ?? 86_400_000)
        let routes = try routes(environment: environment, writer: writer, process: process)
        return [EdgeService(configuration: configuration, routes: routes, process: process)]
    }

    /// Every feature's routes, each configured from `environment`.
    public static func routes(environment: [String: String], writer: any EdgeStreamWriter, process: FleetProcess) throws -> HTTPRouter {
        var router = HTTPRouter()
        // Segment HTTP Tracking API (issue 13 point 1): on when write keys are configured.
        if let segment = try SegmentAPIConfiguration.ifConfigured(environment: environment) {
            SegmentTrackingAPI(configuration: segment, writer: writer, logger: process.logger).register(in: &router)
        } else {
            process.logger.info("Segment Tracking API off: HERALD_EDGE_WRITE_KEYS / HERALD_EDGE_WRITE_KEYS_FILE unset")
        }
        // Provider callbacks, the feedback webhook, tracked links (issue 13, points 3 and 4).
        try EdgeCallbackRoutes.register(in: &router, environment: environment, writer: writer, process: process)
        return router
    }
}
