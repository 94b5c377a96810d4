import HeraldCore

/// What `herald-edge` runs: one stateless listener whose routes write only Redis streams.
public enum EdgeProcess {
    /// The edge's services for `process`.
    public static func services(_ process: FleetProcess) throws -> [any Service] {
        let configuration = try EdgeConfiguration(environment: process.configuration.environment)
        let keyspace = configuration.fleet.keyspace
        let connection = RedisConnection(configuration: configuration.fleet.redis, label: "edge")
        let writer = RedisEdgeStreamWriter(
            connection: connection, keyspace: keyspace, rejectedRetention: configuration.rejectedRetention,
            dedupeWindowMilliseconds: configuration.dedupeWindowMilliseconds)
        let routes = try routes(
            environment: configuration.fleet.environment, writer: writer, reader: RedisEdgePreferenceReader(connection: connection, keyspace: keyspace),
            process: process)
        return [EdgeService(configuration: configuration, routes: routes, process: process)]
    }

    /// Every feature's routes, each configured from `environment`.
    public static func routes(
        environment: [String: String], writer: any EdgeStreamWriter, reader: any EdgePreferenceReader, process: FleetProcess
    ) throws -> HTTPRouter {
        var router = HTTPRouter()
        // Segment HTTP Tracking API (issue 13 point 1): on when write keys are configured.
        if let segment = try SegmentAPIConfiguration.ifConfigured(environment: environment) {
            SegmentTrackingAPI(configuration: segment, writer: writer, logger: process.logger).register(in: &router)
        } else {
            process.logger.info("Segment Tracking API off: HERALD_EDGE_WRITE_KEYS / HERALD_EDGE_WRITE_KEYS_FILE unset")
        }
        // One-click unsubscribe and the preference page (issue 13, point 2).
        if let unsubscribe = try UnsubscribeRoutes.configured(environment: environment, writer: writer, reader: reader, process: process) {
            unsubscribe.register(in: &router)
        }
        // Provider callbacks, the feedback webhook, tracked links (issue 13, points 3 and 4).
        try EdgeCallbackRoutes.register(in: &router, environment: environment, writer: writer, process: process)
        return router
    }
}
