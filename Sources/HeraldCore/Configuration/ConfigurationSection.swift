/// The parts of docs/configuration.md, in order.
public enum ConfigurationSection: String, Sendable, Hashable, CaseIterable {
    /// Redis, the keyspace and what every process shares.
    case fleet = "Redis and the keyspace"
    /// Stream workers: reads, claims, dead letters, retention.
    case workers = "Workers and streams"
    /// The ingestor and the evaluator.
    case ingestAndEvaluate = "Ingestor and evaluator"
    /// Every sender: policy, retries, idempotency, rate limits, failover.
    case senders = "Senders"
    /// Provider credentials and settings.
    case providers = "Providers"
    /// herald-edge.
    case edge = "Edge"
    /// Read by scripts and tests, never by a process; known so that they are not start-up errors.
    case tooling = "Scripts and tests"
}
