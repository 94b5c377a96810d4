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
    /// Every variable, for settings that belong to one service.
    public var environment: [String: String]

    /// Reads the configuration; a malformed value is an error that names the variable.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.environment = environment
        redis = try RedisConfiguration.fromEnvironment(environment)
        let partitions = try Self.integer("HERALD_PARTITIONS", in: environment) ?? 16
        guard partitions > 0 else { throw FleetConfigurationError.invalid(variable: "HERALD_PARTITIONS", value: String(partitions), expected: "a positive integer") }
        let shards = try Self.integer("HERALD_INGEST_SHARDS", in: environment) ?? 1
        guard shards > 0 else { throw FleetConfigurationError.invalid(variable: "HERALD_INGEST_SHARDS", value: String(shards), expected: "a positive integer") }
        keyspace = Keyspace(
            prefix: environment["HERALD_PREFIX"].flatMap { $0.isEmpty ? nil : $0 } ?? "herald", partitions: partitions, ingestShards: shards)
        metricsPort = try Self.integer("HERALD_METRICS_PORT", in: environment)
        concurrency = max(1, try Self.integer("HERALD_CONCURRENCY", in: environment) ?? 1)
    }

    /// Reads an integer variable; `nil` when unset or empty.
    public static func integer(_ name: String, in environment: [String: String]) throws -> Int? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw FleetConfigurationError.invalid(variable: name, value: text, expected: "an integer") }
        return value
    }

    /// Reads a duration in milliseconds; `nil` when unset.
    public func milliseconds(_ name: String) throws -> Int? { try Self.integer(name, in: environment) }
}
