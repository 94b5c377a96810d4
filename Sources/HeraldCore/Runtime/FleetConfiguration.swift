import Foundation

/// Settings every Herald executable reads from its environment.
public struct FleetConfiguration: Sendable {
    /// Redis (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_URLS`).
    public var redis: RedisConfiguration
    /// Names (`HERALD_PREFIX`, default `herald`; `HERALD_PARTITIONS`, default 16;
    /// `HERALD_INGEST_SHARDS`, default 1).
    public var keyspace: Keyspace
    /// The health and metrics port (`HERALD_METRICS_PORT`); unset or empty means no endpoint.
    public var metricsPort: Int?
    /// Worker loops per process (`HERALD_CONCURRENCY`, default 1).
    public var concurrency: Int
    /// Every variable, for settings that belong to one service; each was checked against
    /// `ConfigurationCatalogue.herald` when this configuration was read.
    public var environment: [String: String]

    /// Reads the configuration. The whole environment is checked first against the variable table
    /// (`ConfigurationCatalogue.herald`): a malformed value, or a `HERALD_*` name no process
    /// knows, is an error that names the variable.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try ConfigurationCatalogue.herald.validate(environment)
        self.environment = environment
        redis = try RedisConfiguration.fromEnvironment(environment)
        let partitions = try Self.integer("HERALD_PARTITIONS", in: environment) ?? 16
        let shards = try Self.integer("HERALD_INGEST_SHARDS", in: environment) ?? 1
        keyspace = Keyspace(
            prefix: try Self.text("HERALD_PREFIX", in: environment) ?? "herald", partitions: partitions, ingestShards: shards)
        metricsPort = try Self.integer("HERALD_METRICS_PORT", in: environment)
        concurrency = try Self.integer("HERALD_CONCURRENCY", in: environment) ?? 1
    }

    /// Reads an integer variable of the table, range-checked as the table says; `nil` when unset or empty.
    public static func integer(_ name: String, in environment: [String: String]) throws(FleetConfigurationError) -> Int? {
        try ConfigurationCatalogue.herald.integer(name, in: environment)
    }

    /// Reads a variable of the table as text (a choice as listed); `nil` when unset or empty.
    public static func text(_ name: String, in environment: [String: String]) throws(FleetConfigurationError) -> String? {
        try ConfigurationCatalogue.herald.value(name, in: environment)
    }

    /// Reads a boolean variable of the table (`true`, `false`, `1`, `0`); `nil` when unset or empty.
    public static func boolean(_ name: String, in environment: [String: String]) throws(FleetConfigurationError) -> Bool? {
        try ConfigurationCatalogue.herald.boolean(name, in: environment)
    }

    /// Reads a duration in milliseconds; `nil` when unset.
    public func milliseconds(_ name: String) throws -> Int? { try Self.integer(name, in: environment) }
}
