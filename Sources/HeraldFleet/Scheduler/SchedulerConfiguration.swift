import Foundation
import HeraldCore

/// Everything `herald-scheduler` reads from its environment, typed and checked once at start: it
/// shares the fleet's settings (Redis, the keyspace, metrics) and has none of its own.
public struct SchedulerConfiguration: Sendable {
    /// Redis, the keyspace, metrics.
    public var fleet: FleetConfiguration

    /// Reads the scheduler's configuration; a bad or unknown variable is an error naming it.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(reader: ConfigurationReader(environment: environment, executable: .scheduler))
    }

    /// Reads the scheduler's configuration through `reader`.
    public init(reader: ConfigurationReader) throws {
        fleet = try FleetConfiguration(reader: reader)
    }
}
