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
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>, _ expected: String) throws -> Int {
            guard let value = try FleetConfiguration.integer(name, in: environment) else { return fallback }
            guard range.contains(value) else {
                throw FleetConfigurationError.invalid(variable: name, value: String(value), expected: expected)
            }
            return value
        }
        let defaults = Self.defaultLimits
        host = environment["HERALD_EDGE_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "0.0.0.0"
        port = try integer("HERALD_EDGE_PORT", 8080, 0...65535, "a port number")
        limits = HTTPServerLimits(
            maximumBodyBytes: try integer("HERALD_EDGE_MAX_BODY_BYTES", defaults.maximumBodyBytes, 1024...(64 << 20), "bytes between 1024 and 64 MiB"),
            maximumHeaderBytes: try integer("HERALD_EDGE_MAX_HEADER_BYTES", defaults.maximumHeaderBytes, 2048...(1 << 20), "bytes between 2048 and 1 MiB"),
            idleTimeout: .milliseconds(try integer("HERALD_EDGE_IDLE_TIMEOUT_MS", 10_000, 1000...3_600_000, "milliseconds, at least 1000")),
            maximumConnections: try integer("HERALD_EDGE_MAX_CONNECTIONS", defaults.maximumConnections, 1...100_000, "a positive number"),
            maximumConnectionsPerClient: try integer("HERALD_EDGE_MAX_CONNECTIONS_PER_CLIENT", 0, 0...100_000, "0 (no bound) or a positive number"),
            threads: try integer("HERALD_EDGE_THREADS", defaults.threads, 1...64, "between 1 and 64"),
            drainTimeout: .milliseconds(try integer("HERALD_EDGE_DRAIN_TIMEOUT_MS", 10_000, 0...600_000, "milliseconds")))
        readinessGrace = .milliseconds(try integer("HERALD_EDGE_READINESS_GRACE_MS", 0, 0...600_000, "milliseconds"))
    }
}
