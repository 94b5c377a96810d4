extension ConfigurationCatalogue {
    /// The providers a channel's `HERALD_<CHANNEL>_PROVIDER` and `_SECONDARY` may name.
    public static func providerNames(_ channel: Channel) -> [String] {
        switch channel {
        case .email: return ["outbox", "sink", "smtp"]
        case .sms: return ["outbox", "sink", "twilio"]
        case .push: return ["outbox", "sink", "fcm", "apns"]
        case .webhook: return ["outbox", "sink", "webhook"]
        case .inapp: return ["inbox", "outbox", "sink"]
        }
    }

    /// Every sender's delivery policy, retries, idempotency, and each channel's provider choice,
    /// rate limit and failover.
    static let senderVariables: [ConfigurationVariable] = {
        let senders = HeraldExecutable.senders
        var variables = [
            ConfigurationVariable(
                "HERALD_UNSUBSCRIBE_SECRET", .senders, processes: senders.union([.edge]), kind: .secret,
                default: "required by every sender", forms: [.file, .list],
                "HMAC key (≥ 16 bytes) of one-click unsubscribe links; the edge also accepts the earlier keys in the plural"),
            ConfigurationVariable(
                "HERALD_UNSUBSCRIBE_URL", .senders, processes: senders.union([.edge]), kind: .url(schemes: ["http", "https"]),
                default: "https://example.com/unsubscribe", "the page that takes the unsubscribe token; the edge serves its path"),
            ConfigurationVariable("HERALD_BRAND_NAME", .senders, processes: senders.union([.ctl]), kind: .text, default: "Herald Shop", "{{brand.name}} in templates"),
            ConfigurationVariable(
                "HERALD_TIME_ZONE", .senders, processes: senders, kind: .timeZone, default: "UTC",
                "the fleet's zone for quiet hours when neither the profile nor the journey gives one"),
            ConfigurationVariable(
                "HERALD_QUIET_HOURS", .senders, processes: senders, kind: .format("HH:MM-HH:MM, e.g. 21:00-08:00"), default: "off",
                "marketing messages inside the window (user's local time) are deferred"),
            ConfigurationVariable(
                "HERALD_FREQUENCY_CAPS", .senders, processes: senders, kind: .format("channel=N/window,…, e.g. email=2/1d,sms=1/7d"),
                default: "none", "rolling-window caps per user and channel across all journeys"),
            ConfigurationVariable(
                "HERALD_CAP_OVERFLOW", .senders, processes: senders, kind: .choice(["drop", "defer"]), default: "drop",
                "defer holds a capped marketing message until a slot frees instead of suppressing it"),
            ConfigurationVariable(
                "HERALD_SEND_CONCURRENCY", .senders, processes: senders, kind: .count(1...Int.max), default: "32",
                "provider calls in flight per sender loop (the most a killed loop can leave uncertain)"),
            ConfigurationVariable(
                "HERALD_CLAIM_LEASE_MS", .senders, processes: senders, kind: .milliseconds(1...Int.max),
                default: "2 × provider timeout + 10 s, at least 30 s", "how long an idempotency claim protects its call; must exceed the provider timeout"),
            ConfigurationVariable(
                "HERALD_UNCERTAIN_SENDS", .senders, processes: senders, kind: .format("transactional=resend|park,marketing=resend|park"),
                default: "transactional=resend,marketing=park", "what happens to a send whose sender died mid-call"),
            ConfigurationVariable(
                "HERALD_SENT_RETENTION_MS", .senders, processes: senders, kind: .milliseconds(1...Int.max), default: "derived (≈ 24 h 8 min)",
                "how long sent: idempotency markers live"),
            ConfigurationVariable(
                "HERALD_SENT_OUTAGE_ALLOWANCE_MS", .senders, processes: senders, kind: .milliseconds(0...Int.max), default: "86400000 (24 h)",
                "the Redis outage the derived sent: retention allows for"),
            ConfigurationVariable(
                "HERALD_UNKNOWN_RETENTION_MS", .senders, processes: senders, kind: .milliseconds(1...Int.max), default: "2592000000 (30 days)",
                "how long a parked (unknown) send stays replayable"),
            ConfigurationVariable(
                "HERALD_RETRY_BASE_MS", .senders, processes: senders, kind: .milliseconds(0...Int.max), default: "2000",
                "first retry delay (exponential backoff with full jitter)"),
            ConfigurationVariable("HERALD_RETRY_MAX_MS", .senders, processes: senders, kind: .milliseconds(0...Int.max), default: "3600000", "longest retry delay"),
            ConfigurationVariable(
                "HERALD_RETRY_MAX_ATTEMPTS", .senders, processes: senders, kind: .count(0...Int.max), default: "8",
                "attempts before a send is dead-lettered with its history"),
            ConfigurationVariable(
                "HERALD_BREAKER_FAILURES", .senders, processes: senders, kind: .count(1...Int.max), default: "5",
                "retryable failures within the window that open a provider's circuit breaker"),
            ConfigurationVariable("HERALD_BREAKER_WINDOW_MS", .senders, processes: senders, kind: .milliseconds(1...Int.max), default: "30000", "the breaker's window"),
            ConfigurationVariable(
                "HERALD_BREAKER_COOLDOWN_MS", .senders, processes: senders, kind: .milliseconds(0...Int.max), default: "30000",
                "how long an open breaker skips its provider before one probe"),
            ConfigurationVariable(
                "HERALD_TRACKING_URL", .senders, processes: [.emailSender], kind: .url(schemes: ["http", "https"]), default: "HERALD_EDGE_PUBLIC_URL",
                "the edge's public base for tracked links and the open pixel (tracking is off without it and a link secret)"),
        ]
        for channel in Channel.allCases {
            let upper = channel.rawValue.uppercased(), sender: Set<HeraldExecutable> = [HeraldExecutable.sender(channel)]
            let names = providerNames(channel)
            variables += [
                ConfigurationVariable(
                    "HERALD_\(upper)_PROVIDER", .senders, processes: sender, kind: .choice(names),
                    default: channel == .inapp ? "inbox" : "the one whose credentials are set, else outbox", "the \(channel.rawValue) provider by name"),
                ConfigurationVariable(
                    "HERALD_\(upper)_SECONDARY", .senders, processes: sender, kind: .choice(names), default: "none",
                    "a fallback \(channel.rawValue) provider behind circuit breakers; one of the primary's kind reads its …_SECONDARY_… settings"),
                ConfigurationVariable(
                    "HERALD_\(upper)_RATE", .senders, processes: sender, kind: .format("N, N/s, N/m or N/h (at most 1 000 000 per second)"),
                    default: "no limit", "the \(channel.rawValue) provider's rate, shared by every replica"),
                ConfigurationVariable(
                    "HERALD_\(upper)_BURST", .senders, processes: sender, kind: .count(1...Int.max), default: "1",
                    "\(channel.rawValue) calls that may go at once after a quiet period"),
            ]
        }
        return variables
    }()
}
