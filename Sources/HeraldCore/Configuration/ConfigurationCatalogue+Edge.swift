extension ConfigurationCatalogue {
    /// herald-edge's listener and routes (docs/edge.md).
    static let edgeVariables: [ConfigurationVariable] = {
        let edge: Set<HeraldExecutable> = [.edge]
        let rotating: ConfigurationForms = [.file, .list]
        return [
            ConfigurationVariable("HERALD_EDGE_HOST", .edge, processes: edge, kind: .text, default: "0.0.0.0", "the address the public listener binds"),
            ConfigurationVariable("HERALD_EDGE_PORT", .edge, processes: edge, kind: .integer(0...65535, unit: "port"), default: "8080", "the listener's port"),
            ConfigurationVariable(
                "HERALD_EDGE_MAX_BODY_BYTES", .edge, processes: edge, kind: .integer(1024...(64 << 20), unit: "bytes"), default: "1048576",
                "largest request body (larger: 413)"),
            ConfigurationVariable(
                "HERALD_EDGE_MAX_HEADER_BYTES", .edge, processes: edge, kind: .integer(2048...(1 << 20), unit: "bytes"), default: "16384",
                "memory for the request line and headers (more: 431)"),
            ConfigurationVariable(
                "HERALD_EDGE_IDLE_TIMEOUT_MS", .edge, processes: edge, kind: .milliseconds(1000...3_600_000), default: "10000",
                "a connection that sends nothing this long is closed"),
            ConfigurationVariable(
                "HERALD_EDGE_MAX_CONNECTIONS", .edge, processes: edge, kind: .count(1...100_000), default: "1000", "connections open at once"),
            ConfigurationVariable(
                "HERALD_EDGE_MAX_CONNECTIONS_PER_CLIENT", .edge, processes: edge, kind: .count(0...100_000), default: "0 (no bound)",
                "connections one address may hold"),
            ConfigurationVariable("HERALD_EDGE_THREADS", .edge, processes: edge, kind: .count(1...64), default: "2", "libmicrohttpd polling threads"),
            ConfigurationVariable(
                "HERALD_EDGE_DRAIN_TIMEOUT_MS", .edge, processes: edge, kind: .milliseconds(0...600_000), default: "10000",
                "on SIGTERM, how long requests in flight may take"),
            ConfigurationVariable(
                "HERALD_EDGE_READINESS_GRACE_MS", .edge, processes: edge, kind: .milliseconds(0...600_000), default: "0",
                "on SIGTERM, how long /readyz answers 503 before the edge stops accepting"),
            ConfigurationVariable(
                "HERALD_EDGE_WRITE_KEYS", .edge, processes: edge, kind: .secret, default: "unset (no Segment API)", forms: .file,
                "accepted Segment write keys, comma-separated (the file: one per line, # comments)"),
            ConfigurationVariable(
                "HERALD_EDGE_RATE_PER_KEY", .edge, processes: edge, kind: .number(0...Double.greatestFiniteMagnitude), default: "unset (no limit)",
                "events per second each write key may send, per edge process"),
            ConfigurationVariable(
                "HERALD_EDGE_RATE_BURST", .edge, processes: edge, kind: .number(0...Double.greatestFiniteMagnitude), default: "one second's worth",
                "events a key may send at once"),
            ConfigurationVariable(
                "HERALD_UNSUBSCRIBE_MAX_AGE_DAYS", .edge, processes: edge, kind: .integer(1...Int.max, unit: "days"), default: "180",
                "older unsubscribe links are refused"),
            ConfigurationVariable(
                "HERALD_EDGE_PUBLIC_URL", .edge, processes: [.edge, .emailSender], kind: .url(schemes: ["http", "https"]), default: "unset",
                "the scheme and host providers call; Twilio signatures are checked over it; the email sender's tracking base"),
            ConfigurationVariable(
                "HERALD_EDGE_TWILIO_AUTH_TOKEN", .edge, processes: edge, kind: .secret, default: "HERALD_TWILIO_AUTH_TOKEN", forms: rotating,
                "Twilio auth tokens a callback signature may use (several while rotating)"),
            ConfigurationVariable(
                "HERALD_EDGE_FEEDBACK_SECRET", .edge, processes: edge, kind: .secret, default: "unset (no /callbacks/feedback)", forms: rotating,
                "Standard Webhooks secrets for /callbacks/feedback"),
            ConfigurationVariable(
                "HERALD_EDGE_FEEDBACK_TOLERANCE_S", .edge, processes: edge, kind: .integer(1...Int.max, unit: "s"), default: "300",
                "how far webhook-timestamp may be from now"),
            ConfigurationVariable(
                "HERALD_EDGE_LINK_SECRET", .edge, processes: [.edge, .emailSender], kind: .secret, default: "unset (tracking off)", forms: rotating,
                "HMAC keys of tracked links: the email sender signs with the first, the edge accepts any"),
        ]
    }()

    /// Variables only scripts and tests read. Processes ignore them; they are declared so that a
    /// shell that exports them (scripts/lib/setup.sh does) can still start the fleet.
    static let toolingVariables: [ConfigurationVariable] = [
        ConfigurationVariable("HERALD_TEST_PYTHON", .tooling, processes: [], kind: .path, default: "python3", "the tests' Python (protocol peers, parsers)"),
        ConfigurationVariable("HERALD_PROMTOOL", .tooling, processes: [], kind: .path, default: ".herald/prometheus", "the tests' promtool"),
        ConfigurationVariable("HERALD_DEMO_PORT", .tooling, processes: [], kind: .text, default: "a free port", "scripts/demo: its Redis's port"),
        ConfigurationVariable("HERALD_DEMO_EDGE_PORT", .tooling, processes: [], kind: .text, default: "a free port", "scripts/demo: the edge's port"),
        ConfigurationVariable(
            "HERALD_DEMO_METRICS_PORT", .tooling, processes: [], kind: .text, default: "19100", "scripts/demo: the first of its nine metrics ports"),
        ConfigurationVariable("HERALD_BENCH_BUILD", .tooling, processes: [], kind: .text, default: "release", "scripts/bench-channels: the build to run"),
        ConfigurationVariable("HERALD_BENCH_CPU", .tooling, processes: [], kind: .text, default: "unset", "scripts/bench: set to add Redis's costliest commands (INFO commandstats); scripts/bench-timers: set to print CPU time"),
        ConfigurationVariable("HERALD_BENCH_TIMEOUT", .tooling, processes: [], kind: .text, default: "300", "scripts/bench-channels: seconds per channel"),
        ConfigurationVariable("HERALD_EVALUATOR_LOOPS", .tooling, processes: [], kind: .text, default: "4", "scripts/bench: the evaluator's HERALD_CONCURRENCY"),
        ConfigurationVariable(
            "HERALD_SENDER_LOOPS", .tooling, processes: [], kind: .text, default: "4", "scripts/bench, bench-channels: the senders' HERALD_CONCURRENCY"),
        ConfigurationVariable("HERALD_REDIS_ARGS", .tooling, processes: [], kind: .text, default: "none", "scripts/bench-timers: extra redis-server options"),
        ConfigurationVariable(
            "HERALD_CLUSTER_NODE_ARGS", .tooling, processes: [], kind: .text, default: "none", "scripts/lib/cluster.sh: extra cluster-node options"),
    ]
}
