import Foundation

extension FleetProcess {
    /// Whether the arguments ask for help (`--help`, `-h` or `help`).
    public static func asksForHelp(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Bool {
        arguments.contains { $0 == "--help" || $0 == "-h" || $0 == "help" }
    }

    /// What each executable does, for its `--help`.
    static let purposes: [String: String] = [
        "herald-ingestor": "Validates producer events from <prefix>:ingest, routes them to their user's partition (deduplicated by messageId) and keeps rejected payloads in <prefix>:rejected.",
        "herald-evaluator": "Leases partitions and evaluates their events and timers against the published journeys, writing state, timers, send requests and the trail atomically.",
        "herald-scheduler": "Fires due timers into their partition's events stream, and deferred sends into their outbox.",
        "herald-edge": """
            Serves Herald's HTTP edge (docs/edge.md) and writes only Redis streams. Listener: HERALD_EDGE_HOST, HERALD_EDGE_PORT \
            (default 0.0.0.0:8080), HERALD_EDGE_MAX_BODY_BYTES, HERALD_EDGE_MAX_HEADER_BYTES, HERALD_EDGE_IDLE_TIMEOUT_MS, \
            HERALD_EDGE_MAX_CONNECTIONS, HERALD_EDGE_MAX_CONNECTIONS_PER_CLIENT, HERALD_EDGE_THREADS, HERALD_EDGE_DRAIN_TIMEOUT_MS, \
            HERALD_EDGE_READINESS_GRACE_MS. Segment Tracking API: HERALD_EDGE_WRITE_KEYS(_FILE), HERALD_EDGE_RATE_PER_KEY, \
            HERALD_EDGE_RATE_BURST. Unsubscribe link: HERALD_UNSUBSCRIBE_SECRET(S)(_FILE), HERALD_UNSUBSCRIBE_URL, \
            HERALD_UNSUBSCRIBE_MAX_AGE_DAYS. Callbacks and tracked links: HERALD_EDGE_PUBLIC_URL, \
            HERALD_EDGE_TWILIO_AUTH_TOKEN(S)(_FILE) or HERALD_TWILIO_AUTH_TOKEN(_FILE), HERALD_EDGE_FEEDBACK_SECRET(S)(_FILE), \
            HERALD_EDGE_FEEDBACK_TOLERANCE_S, HERALD_EDGE_LINK_SECRET(S)(_FILE). A feature whose key is unset answers 404.
            """,
    ]

    /// The `--help` text of executable `name`: what it does and the settings every executable reads.
    public static func helpText(for name: String) -> String {
        let purpose = purposes[name] ?? (name.hasSuffix("-sender")
            ? "Reads every partition's outbox of its channel and delivers each send request once: consent, quiet hours, caps, idempotency claim, render, provider call."
            : "A Herald worker.")
        return """
            usage: \(name) [--help]

            \(purpose)
            Runs until SIGTERM or SIGINT; settings come from the environment (README.md, docs/operations.md):
              REDIS_URL                      redis://[user:password@]host:port[/db] (default redis://127.0.0.1:6379)
              REDIS_CLUSTER_URLS             a Redis Cluster instead: redis://h1:p1,redis://h2:p2,… (not with REDIS_URL)
              HERALD_PREFIX                  prefix of every key (default herald)
              HERALD_INGEST_SHARDS           shards of the ingest, rejected, deliveries and dead-letter streams (default 1)
              HERALD_REPLICA_ACKS, HERALD_REPLICA_ACK_TIMEOUT_MS   replicas a batch's writes must reach before it is acknowledged (default 0)
              HERALD_PARTITIONS              user partitions, the same for every process (default 16)
              HERALD_CONCURRENCY             worker loops per process (default 1)
              HERALD_METRICS_PORT            serve /healthz and /metrics on this port
              HERALD_METRICS_INTERVAL_MS     how often Redis-backed gauges (lag, pending, timers) are sampled (default 5000)
              HERALD_BATCH_SIZE, HERALD_CLAIM_IDLE_MS, HERALD_CLAIM_INTERVAL_MS, HERALD_MAX_DELIVERIES, HERALD_TRIM_LIMIT
              HERALD_DEAD_LETTER_MAX, HERALD_DEAD_LETTER_MAX_AGE_MS   bounds of the dead-letter stream
            """
    }
}
