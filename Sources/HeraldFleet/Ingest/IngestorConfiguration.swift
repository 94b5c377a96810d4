import Foundation
import HeraldCore

/// Everything `herald-ingestor` reads from its environment, typed and checked once at start;
/// defaults are the variable table's (`ConfigurationCatalogue`).
public struct IngestorConfiguration: Sendable {
    /// Redis, the keyspace, metrics.
    public var fleet: FleetConfiguration
    /// The ingest worker's reads, claims and dead letters.
    public var workers: StreamWorkerSettings
    /// How long an ingest-shard lease lasts unrenewed (`HERALD_LEASE_MS`).
    public var leaseMilliseconds: Int
    /// The messageId deduplication window (`HERALD_DEDUPE_WINDOW_MS`).
    public var dedupeWindowMilliseconds: Int
    /// Ids kept per partition (`HERALD_DEDUPE_CAPACITY`).
    public var dedupeCapacity: Int
    /// The bounds of the rejected stream, on shard 0 (`HERALD_REJECTED_MAX`, `HERALD_REJECTED_MAX_AGE_MS`).
    public var rejectedRetention: StreamRetention

    /// Reads the ingestor's configuration; a bad or unknown variable is an error naming it.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(reader: ConfigurationReader(environment: environment, executable: .ingestor))
    }

    /// Reads the ingestor's configuration through `reader`.
    public init(reader: ConfigurationReader) throws {
        fleet = try FleetConfiguration(reader: reader)
        workers = try StreamWorkerSettings(reader: reader)
        leaseMilliseconds = try reader.integer("HERALD_LEASE_MS")
        dedupeWindowMilliseconds = try reader.integer("HERALD_DEDUPE_WINDOW_MS")
        dedupeCapacity = try reader.integer("HERALD_DEDUPE_CAPACITY")
        rejectedRetention = try StreamRetention.rejected(fleet.keyspace.rejected, reader: reader)
    }
}
