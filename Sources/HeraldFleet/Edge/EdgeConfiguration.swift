import HeraldCore

/// The edge's settings, read once from the environment and validated at start.
public struct EdgeConfiguration: Sendable {
    /// The address to listen on (`HERALD_EDGE_HOST`, default `0.0.0.0`).
    public var host: String
    /// The port to listen on (`HERALD_EDGE_PORT`, default 8080; 0 picks a free one).
    public var port: Int
    /// The limits every client is held to (`HERALD_EDGE_MAX_BODY_BYTES`, `HERALD_EDGE_MAX_HEADER_BYTES`,
    /// `HERALD_EDGE_IDLE_TIMEOUT_MS`, `HERALD_EDGE_MAX_CONNECTIONS`, `HERALD_EDGE_MAX_CONNECTIONS_PER_CLIENT`,
    /// `HERALD_EDGE_THREADS`, `HERALD_EDGE_DRAIN_TIMEOUT_MS`).
    public var limits: HTTPServerLimits
    /// How long after SIGTERM the edge keeps serving with `/readyz` answering 503, so a load
    /// balancer stops sending before the listener closes (`HERALD_EDGE_READINESS_GRACE_MS`, default 0).
    public var readinessGrace: Duration

    /// Creates a configuration.
    public init(host: String = "0.0.0.0", port: Int = 8080, limits: HTTPServerLimits = EdgeConfiguration.defaultLimits, readinessGrace: Duration = .zero) {
        self.host = host
        self.port = port
        self.limits = limits
        self.readinessGrace = readinessGrace
    }

    /// The edge's default limits: a Segment batch (500 KB) fits with room, headers 16 KiB, a
    /// client idle 10 s is closed, 1000 connections.
    public static let defaultLimits = HTTPServerLimits(maximumBodyBytes: 1 << 20, maximumHeaderBytes: 16 * 1024, idleTimeout: .seconds(10))

    /// Reads the settings from `environment`.
    public init(environment: [String: String]) throws {
        // Each range is the variable table's (ConfigurationCatalogue+Edge.swift).
        func integer(_ name: String, _ fallback: Int) throws -> Int { try FleetConfiguration.integer(name, in: environment) ?? fallback }
        let defaults = Self.defaultLimits
        host = try FleetConfiguration.text("HERALD_EDGE_HOST", in: environment) ?? "0.0.0.0"
        port = try integer("HERALD_EDGE_PORT", 8080)
        limits = HTTPServerLimits(
            maximumBodyBytes: try integer("HERALD_EDGE_MAX_BODY_BYTES", defaults.maximumBodyBytes),
            maximumHeaderBytes: try integer("HERALD_EDGE_MAX_HEADER_BYTES", defaults.maximumHeaderBytes),
            idleTimeout: .milliseconds(try integer("HERALD_EDGE_IDLE_TIMEOUT_MS", 10_000)),
            maximumConnections: try integer("HERALD_EDGE_MAX_CONNECTIONS", defaults.maximumConnections),
            maximumConnectionsPerClient: try integer("HERALD_EDGE_MAX_CONNECTIONS_PER_CLIENT", 0),
            threads: try integer("HERALD_EDGE_THREADS", defaults.threads),
            drainTimeout: .milliseconds(try integer("HERALD_EDGE_DRAIN_TIMEOUT_MS", 10_000)))
        readinessGrace = .milliseconds(try integer("HERALD_EDGE_READINESS_GRACE_MS", 0))
    }
}
