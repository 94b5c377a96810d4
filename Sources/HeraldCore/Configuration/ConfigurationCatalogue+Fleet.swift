extension ConfigurationCatalogue {
    /// Redis, the keyspace, and what every long-running process shares.
    static let fleetVariables: [ConfigurationVariable] = {
        let all = HeraldExecutable.everyone, fleet = HeraldExecutable.fleet
        return [
            ConfigurationVariable(
                "REDIS_URL", .fleet, processes: all, kind: .format("redis://[user:password@]host:port[/db]"),
                default: "redis://127.0.0.1:6379", "the one Redis every key lives on"),
            ConfigurationVariable(
                "REDIS_CLUSTER_URLS", .fleet, processes: all, kind: .format("redis://h1:p1,redis://h2:p2,… (the same credentials on each)"),
                default: "unset", "a Redis Cluster instead of REDIS_URL (set one of the two; docs/cluster.md)"),
            ConfigurationVariable("HERALD_PREFIX", .fleet, processes: all, kind: .text, default: "herald", "prefix of every key, stream and group"),
            ConfigurationVariable(
                "HERALD_PARTITIONS", .fleet, processes: all, kind: .count(1...Int.max), default: "16",
                "user partitions; the same for every process"),
            ConfigurationVariable(
                "HERALD_INGEST_SHARDS", .fleet, processes: all, kind: .count(1...Int.max), default: "1",
                "shards of the ingest, rejected, deliveries and dead-letter streams; the producers' shard rule must match"),
            ConfigurationVariable(
                "HERALD_CONCURRENCY", .fleet, processes: HeraldExecutable.senders.union([.evaluator]), kind: .count(1...Int.max), default: "1",
                "worker loops per process"),
            ConfigurationVariable(
                "HERALD_METRICS_PORT", .fleet, processes: fleet, kind: .integer(0...65535, unit: "port"), default: "unset (no endpoint)",
                "serve /healthz, /readyz and /metrics on this port"),
            ConfigurationVariable(
                "HERALD_METRICS_INTERVAL_MS", .fleet, processes: fleet.subtracting([.edge]), kind: .milliseconds(1...Int.max), default: "5000",
                "how often Redis-backed gauges (lag, pending, timers) are sampled"),
            ConfigurationVariable(
                "HERALD_LOG_LEVEL", .fleet, processes: fleet, kind: .choice(["debug", "info", "warning", "error"]), default: "info",
                "the least severe JSON log line written to stdout"),
            ConfigurationVariable(
                "HERALD_CONFIG_DIR", .fleet, processes: HeraldExecutable.senders.union([.ctl]), kind: .path, default: "config",
                "the directory of journeys/ and templates/"),
        ]
    }()

    /// Stream workers' reads, claims, dead letters and the bounds of the streams and logs they write.
    static let workerVariables: [ConfigurationVariable] = {
        let workers = HeraldExecutable.streamWorkers
        let writers = HeraldExecutable.senders.union([.evaluator])
        return [
            ConfigurationVariable("HERALD_BATCH_SIZE", .workers, processes: workers, kind: .count(1...Int.max), default: "256 (senders 128)", "entries per read"),
            ConfigurationVariable(
                "HERALD_BLOCK_MS", .workers, processes: workers, kind: .milliseconds(1...Int.max), default: "1000",
                "how long one read waits for entries"),
            ConfigurationVariable(
                "HERALD_CLAIM_IDLE_MS", .workers, processes: workers, kind: .milliseconds(1...Int.max), default: "30000",
                "idle time after which another consumer claims an entry"),
            ConfigurationVariable(
                "HERALD_CLAIM_INTERVAL_MS", .workers, processes: workers, kind: .milliseconds(1...Int.max), default: "5000",
                "how often a worker claims idle entries and trims what it consumed"),
            ConfigurationVariable(
                "HERALD_MAX_DELIVERIES", .workers, processes: workers, kind: .count(1...Int.max), default: "5",
                "deliveries before an entry goes to the dead-letter stream"),
            ConfigurationVariable(
                "HERALD_CONSUMER_EXPIRY_MS", .workers, processes: workers, kind: .milliseconds(1...Int.max), default: "3600000",
                "a consumer idle this long with nothing pending is removed from its group"),
            ConfigurationVariable(
                "HERALD_TRIM_LIMIT", .workers, processes: workers, kind: .count(1...Int.max), default: "10000",
                "entries one XTRIM of a consumed stream removes; repeated each claim round"),
            ConfigurationVariable(
                "HERALD_DEAD_LETTER_MAX", .workers, processes: workers, kind: .count(1...Int.max), default: "100000",
                "entries each dead-letter stream keeps"),
            ConfigurationVariable(
                "HERALD_DEAD_LETTER_MAX_AGE_MS", .workers, processes: workers, kind: .milliseconds(1...Int.max), default: "2592000000 (30 days)",
                "the oldest dead letter kept"),
            ConfigurationVariable(
                "HERALD_REPLICA_ACKS", .workers, processes: workers.union([.bench]), kind: .count(0...Int.max), default: "0",
                "replicas a batch's writes must reach (WAIT) before it is acknowledged"),
            ConfigurationVariable(
                "HERALD_REPLICA_ACK_TIMEOUT_MS", .workers, processes: workers, kind: .milliseconds(1...Int.max), default: "1000",
                "how long one WAIT for HERALD_REPLICA_ACKS may take"),
            ConfigurationVariable(
                "HERALD_LEASE_MS", .workers, processes: [.ingestor, .evaluator], kind: .milliseconds(1...Int.max), default: "10000",
                "the evaluator's partition lease and the ingestor's shard lease"),
            ConfigurationVariable(
                "HERALD_REJECTED_MAX", .workers, processes: [.ingestor, .edge], kind: .count(1...Int.max), default: "100000",
                "entries each rejected stream keeps"),
            ConfigurationVariable(
                "HERALD_REJECTED_MAX_AGE_MS", .workers, processes: [.ingestor, .edge], kind: .milliseconds(1...Int.max), default: "604800000 (7 days)",
                "the oldest rejected payload kept"),
            ConfigurationVariable(
                "HERALD_DELIVERIES_MAX", .workers, processes: writers, kind: .count(1...Int.max), default: "1000000",
                "records each deliveries stream keeps"),
            ConfigurationVariable(
                "HERALD_TRAIL_MAX", .workers, processes: writers, kind: .count(1...Int.max), default: "200",
                "entries of a user's decision trail"),
            ConfigurationVariable(
                "HERALD_TRAIL_MAX_AGE_MS", .workers, processes: writers, kind: .milliseconds(1...Int.max), default: "7776000000 (90 days)",
                "the oldest trail entry kept; the trail key expires this long after the user's last input"),
        ]
    }()

    /// The ingestor's deduplication and the evaluator's applied-input window and inactivity sweep.
    static let ingestAndEvaluateVariables: [ConfigurationVariable] = [
        ConfigurationVariable(
            "HERALD_DEDUPE_WINDOW_MS", .ingestAndEvaluate, processes: [.ingestor, .edge], kind: .milliseconds(1...Int.max), default: "86400000 (24 h)",
            "messageId deduplication window"),
        ConfigurationVariable(
            "HERALD_DEDUPE_CAPACITY", .ingestAndEvaluate, processes: [.ingestor], kind: .count(1...Int.max), default: "100000",
            "ids kept per partition, a memory safety net; cutting the window short is counted and logged"),
        ConfigurationVariable(
            "HERALD_APPLIED_WINDOW_MS", .ingestAndEvaluate, processes: [.evaluator], kind: .milliseconds(1...Int.max), default: "900000 (15 min)",
            "how long applied input ids are remembered; must be longer than HERALD_CLAIM_IDLE_MS"),
        ConfigurationVariable(
            "HERALD_USER_INACTIVITY_MS", .ingestAndEvaluate, processes: [.evaluator], kind: .milliseconds(0...Int.max),
            default: "31536000000 (365 days)", "users with no accepted event for this long are erased; 0 turns it off"),
        ConfigurationVariable(
            "HERALD_USER_INACTIVITY_SWEEP_MS", .ingestAndEvaluate, processes: [.evaluator], kind: .milliseconds(1...Int.max), default: "60000",
            "how often each evaluator looks for inactive users"),
    ]
}
