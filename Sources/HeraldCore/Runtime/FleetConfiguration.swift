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
    /// Worker loops per process (`HERALD_CONCURRENCY`, default 1); read only by the processes the
    /// table lists for it (the evaluator and the senders), 1 elsewhere.
    public var concurrency: Int
    /// How often Redis-backed gauges are sampled (`HERALD_METRICS_INTERVAL_MS`, default 5 s); the
    /// table's default where the process does not read it (the edge samples nothing).
    public var metricsInterval: Duration
    /// Every variable, for settings that belong to one service; each was checked against
    /// `ConfigurationCatalogue.herald` when this configuration was read.
    public var environment: [String: String]

    /// Reads the configuration. The whole environment is checked first against the variable table
    /// (`ConfigurationCatalogue.herald`): a malformed value, or a `HERALD_*` name no process
    /// knows, is an error that names the variable.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(reader: ConfigurationReader(environment: environment))
    }

    /// Reads the settings every process shares through `reader` (each process's own configuration
    /// starts with this), after checking the whole environment against the table.
    public init(reader: ConfigurationReader) throws {
        let environment = reader.environment
        try reader.catalogue.validate(environment)
        self.environment = environment
        reader.note("REDIS_URL")
        reader.note("REDIS_CLUSTER_URLS")
        redis = try RedisConfiguration.fromEnvironment(environment)
        keyspace = Keyspace(
            prefix: try reader.text("HERALD_PREFIX"), partitions: try reader.integer("HERALD_PARTITIONS"),
            ingestShards: try reader.integer("HERALD_INGEST_SHARDS"))
        metricsPort = reader.lists("HERALD_METRICS_PORT") ? try reader.integerIfSet("HERALD_METRICS_PORT") : nil
        // Defaults without a read where the table says the process does not read the variable.
        let unread = ConfigurationReader(environment: [:], catalogue: reader.catalogue)
        concurrency = try (reader.lists("HERALD_CONCURRENCY") ? reader : unread).integer("HERALD_CONCURRENCY")
        metricsInterval = try (reader.lists("HERALD_METRICS_INTERVAL_MS") ? reader : unread).duration("HERALD_METRICS_INTERVAL_MS")
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

}
