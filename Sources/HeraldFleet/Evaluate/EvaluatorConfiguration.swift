import Foundation
import HeraldCore

/// Everything `herald-evaluator` reads from its environment, typed and checked once at start;
/// defaults are the variable table's (`ConfigurationCatalogue`).
public struct EvaluatorConfiguration: Sendable {
    /// Redis, the keyspace, worker loops (`HERALD_CONCURRENCY`), metrics.
    public var fleet: FleetConfiguration
    /// The evaluate workers' reads, claims and dead letters.
    public var workers: StreamWorkerSettings
    /// How long a partition lease lasts unrenewed (`HERALD_LEASE_MS`).
    public var leaseMilliseconds: Int
    /// How much of each user's trail is kept (`HERALD_TRAIL_MAX`, `HERALD_TRAIL_MAX_AGE_MS`).
    public var trailRetention: TrailRetention
    /// How long applied input ids are remembered (`HERALD_APPLIED_WINDOW_MS`, longer than the claim idle time).
    public var appliedRetention: AppliedInputRetention
    /// How many records each delivery-record shard keeps (`HERALD_DELIVERIES_MAX`).
    public var deliveries: DeliveryLogRetention
    /// Users with no accepted event for this long are erased; 0 turns it off (`HERALD_USER_INACTIVITY_MS`).
    public var userInactivityMilliseconds: Int64
    /// How often the evaluator looks for inactive users (`HERALD_USER_INACTIVITY_SWEEP_MS`).
    public var inactivitySweepInterval: Duration

    /// Reads the evaluator's configuration; a bad or unknown variable is an error naming it.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(reader: ConfigurationReader(environment: environment, executable: .evaluator))
    }

    /// Reads the evaluator's configuration through `reader`.
    public init(reader: ConfigurationReader) throws {
        fleet = try FleetConfiguration(reader: reader)
        workers = try StreamWorkerSettings(reader: reader)
        leaseMilliseconds = try reader.integer("HERALD_LEASE_MS")
        trailRetention = try TrailRetention(reader: reader)
        appliedRetention = try AppliedInputRetention(reader: reader, claimIdleMilliseconds: workers.claimMinIdleMilliseconds)
        deliveries = try DeliveryLogRetention(reader: reader)
        userInactivityMilliseconds = try reader.milliseconds("HERALD_USER_INACTIVITY_MS")
        inactivitySweepInterval = try reader.duration("HERALD_USER_INACTIVITY_SWEEP_MS")
    }
}
