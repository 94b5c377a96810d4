import Foundation
import HeraldCore

/// Everything `herald-edge` reads for its listener and its stream writes, typed and checked once
/// at start; defaults are the variable table's (`ConfigurationCatalogue+Edge.swift`). Each route
/// family reads its own secrets and settings as the edge builds its routes (`EdgeProcess.routes`).
public struct EdgeConfiguration: Sendable {
    /// Redis, the keyspace, metrics.
    public var fleet: FleetConfiguration
    /// The address to listen on (`HERALD_EDGE_HOST`).
    public var host: String
    /// The port to listen on (`HERALD_EDGE_PORT`; 0 picks a free one).
    public var port: Int
    /// The limits every client is held to (`HERALD_EDGE_MAX_BODY_BYTES`, `HERALD_EDGE_MAX_HEADER_BYTES`,
    /// `HERALD_EDGE_IDLE_TIMEOUT_MS`, `HERALD_EDGE_MAX_CONNECTIONS`, `HERALD_EDGE_MAX_CONNECTIONS_PER_CLIENT`,
    /// `HERALD_EDGE_THREADS`, `HERALD_EDGE_DRAIN_TIMEOUT_MS`).
    public var limits: HTTPServerLimits
    /// How long after SIGTERM the edge keeps serving with `/readyz` answering 503, so a load
    /// balancer stops sending before the listener closes (`HERALD_EDGE_READINESS_GRACE_MS`).
    public var readinessGrace: Duration
    /// The messageId deduplication window of the events it writes (`HERALD_DEDUPE_WINDOW_MS`).
    public var dedupeWindowMilliseconds: Int
    /// The bounds of the rejected stream it writes refused payloads to (`HERALD_REJECTED_MAX`,
    /// `HERALD_REJECTED_MAX_AGE_MS`).
    public var rejectedRetention: StreamRetention

    /// Reads the edge's configuration; a bad or unknown variable is an error naming it.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(reader: ConfigurationReader(environment: environment, executable: .edge))
    }

    /// Reads the edge's configuration through `reader`.
    public init(reader: ConfigurationReader) throws {
        fleet = try FleetConfiguration(reader: reader)
        host = try reader.text("HERALD_EDGE_HOST")
        port = try reader.integer("HERALD_EDGE_PORT")
        limits = HTTPServerLimits(
            maximumBodyBytes: try reader.integer("HERALD_EDGE_MAX_BODY_BYTES"),
            maximumHeaderBytes: try reader.integer("HERALD_EDGE_MAX_HEADER_BYTES"),
            idleTimeout: try reader.duration("HERALD_EDGE_IDLE_TIMEOUT_MS"),
            maximumConnections: try reader.integer("HERALD_EDGE_MAX_CONNECTIONS"),
            maximumConnectionsPerClient: try reader.integer("HERALD_EDGE_MAX_CONNECTIONS_PER_CLIENT"),
            threads: try reader.integer("HERALD_EDGE_THREADS"),
            drainTimeout: try reader.duration("HERALD_EDGE_DRAIN_TIMEOUT_MS"))
        readinessGrace = try reader.duration("HERALD_EDGE_READINESS_GRACE_MS")
        dedupeWindowMilliseconds = try reader.integer("HERALD_DEDUPE_WINDOW_MS")
        rejectedRetention = try StreamRetention.rejected(fleet.keyspace.rejected, reader: reader)
    }
}
