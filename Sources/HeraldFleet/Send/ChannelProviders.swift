import Foundation
import HeraldCore
import HeraldDelivery

/// Chooses each channel's provider from the environment: a real one when its credentials are set,
/// else the embedded default (the outbox directory; the Redis inbox for in-app).
/// `HERALD_<CHANNEL>_PROVIDER=NAME` picks one by name (`sink` is the counting sink for benchmarks),
/// and `HERALD_<CHANNEL>_SECONDARY=NAME` wraps the primary in a `FailoverProvider` (a secondary of
/// the primary's own kind reads its own `…_SECONDARY_…` settings) with a circuit breaker per provider (`HERALD_BREAKER_FAILURES`, default 5 retryable failures within
/// `HERALD_BREAKER_WINDOW_MS`, default 30 s, open it for `HERALD_BREAKER_COOLDOWN_MS`, default 30 s).
public enum ChannelProviders {
    /// The provider for `channel`, and a sentence saying which one it is (for the start-up log).
    /// With `metrics`, every real provider (primary and secondary, inside the failover) counts its
    /// calls in `herald_provider_calls_total` (see `ObservedProvider`).
    public static func make(
        _ channel: Channel, environment: [String: String], redis: RedisConfiguration, keyspace: Keyspace, metrics: Metrics? = nil
    ) throws -> (provider: any MessageProvider, description: String) {
        let upper = channel.rawValue.uppercased()
        // The table's choice of the channel's providers, said as the provider error says it.
        func providerName(_ variable: String) throws(ChannelProviderError) -> String? {
            do {
                return try FleetConfiguration.text(variable, in: environment)
            } catch {
                throw .unknownProvider(variable: variable, name: environment[variable] ?? "", channel: channel)
            }
        }
        var primary: (provider: any MessageProvider, description: String)
        if let name = try providerName("HERALD_\(upper)_PROVIDER") {
            primary = try named(name, variable: "HERALD_\(upper)_PROVIDER", channel, environment: environment, redis: redis, keyspace: keyspace)
        } else {
            primary = try automatic(channel, environment: environment, redis: redis, keyspace: keyspace)
        }
        if let metrics { primary.provider = ObservedProvider(base: primary.provider, channel: channel, metrics: metrics) }
        guard let secondaryName = try providerName("HERALD_\(upper)_SECONDARY") else { return primary }
        var secondary = try Self.secondary(secondaryName, primary: primary.provider, channel, environment: environment, redis: redis, keyspace: keyspace)
        if let metrics { secondary.provider = ObservedProvider(base: secondary.provider, channel: channel, metrics: metrics) }
        let settings = ConfigurationReader(environment: environment, executable: .sender(channel))
        let breaker = CircuitBreaker(
            failureThreshold: try settings.integer("HERALD_BREAKER_FAILURES"),
            window: Double(try settings.integer("HERALD_BREAKER_WINDOW_MS")) / 1000,
            coolDown: Double(try settings.integer("HERALD_BREAKER_COOLDOWN_MS")) / 1000)
        return (FailoverProvider(primary: primary.provider, secondary: secondary.provider, breaker: breaker),
                "\(primary.description), failing over to \(secondary.description)")
    }

    /// The provider the credentials in the environment select.
    static func automatic(
        _ channel: Channel, environment: [String: String], redis: RedisConfiguration, keyspace: Keyspace
    ) throws -> (provider: any MessageProvider, description: String) {
        let credentials = CredentialSource(environment: environment)
        if channel == .email {
            // EmailProviders owns the rule (an SMTP URL or host, else the outbox).
            let provider = try EmailProviders.make(environment: credentials)
            return (provider, provider.name == "outbox"
                ? "outbox directory \(outboxDirectory(environment).path) (no \(credentialNames[.email]!) configured: messages stay on this host)"
                : "SMTP relay")
        }
        func present(_ name: String) -> Bool { configured(name, credentials) }
        let name: String
        switch channel {
        case .sms: name = present("HERALD_TWILIO_ACCOUNT_SID") ? "twilio" : "outbox"
        case .push: name = present("HERALD_FCM_CREDENTIALS") ? "fcm" : credentials.value("HERALD_APNS_KEY_ID") != nil ? "apns" : "outbox"
        case .webhook: name = present("HERALD_WEBHOOK_SECRET") ? "webhook" : "outbox"
        case .inapp: name = "inbox"
        case .email: name = "outbox"
        }
        let chosen = try named(name, variable: "the credentials in the environment", channel, environment: environment, redis: redis, keyspace: keyspace)
        guard name == "outbox" else { return chosen }
        return (chosen.provider, "\(chosen.description) (no \(credentialNames[channel] ?? "provider") credentials configured: messages stay on this host)")
    }

    /// The credentials whose presence selects a channel's real provider, as said in the start-up log.
    static let credentialNames: [Channel: String] = [
        .sms: "Twilio (HERALD_TWILIO_ACCOUNT_SID)", .push: "FCM or APNs (HERALD_FCM_CREDENTIALS, HERALD_APNS_KEY_ID)",
        .webhook: "webhook signing (HERALD_WEBHOOK_SECRET)", .email: "SMTP relay (HERALD_SMTP_URL, HERALD_SMTP_HOST)",
    ]

    /// Whether credential `name` is configured: set inline, or `NAME_FILE` naming a file that holds
    /// something or cannot be read (the provider then reports the unreadable file). An empty file,
    /// the placeholder `docker/secrets/init.sh` copies from its `.example`, is not configured, as an
    /// empty `smtp_url` always was.
    static func configured(_ name: String, _ credentials: CredentialSource) -> Bool {
        if credentials.value(name) != nil { return true }
        guard let path = credentials.value(name + "_FILE") else { return false }
        guard let contents = FileManager.default.contents(atPath: path) else { return true }
        return !String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Whether `provider` keeps messages on this host (outbox directory, in-app inbox, counting
    /// sink) rather than handing them to an outside service: `herald_sender_info{delivery="local"}`.
    public static func isLocal(_ provider: any MessageProvider) -> Bool {
        let names = (provider as? FailoverProvider).map { [$0.primary.name] + ($0.secondary.map { [$0.name] } ?? []) } ?? [provider.name]
        return names.allSatisfy { ProviderCallOutcome.Transport.of(providerNamed: $0) == .local }
    }

    /// A provider by name: `outbox`, `sink`, or the channel's real providers (`smtp`; `twilio`;
    /// `fcm`, `apns`; `webhook`; `inbox`), configured from the environment.
    static func named(
        _ name: String, variable: String, _ channel: Channel, environment: [String: String], redis: RedisConfiguration, keyspace: Keyspace
    ) throws -> (provider: any MessageProvider, description: String) {
        let credentials = CredentialSource(environment: environment)
        let outbox = outboxDirectory(environment)
        switch (name, channel) {
        case ("sink", _):
            return (CountingSinkProvider(), "counting sink (benchmark)")
        case ("outbox", .email):
            return (OutboxEmailProvider(configuration: OutboxEmailProvider.Configuration(environment: credentials)), "outbox directory \(outbox.path)")
        case ("outbox", _):
            return (OutboxFileProvider(directory: outbox, channel: channel), "outbox directory \(outbox.path)/\(channel.rawValue)")
        case ("smtp", .email):
            return (SMTPEmailProvider(configuration: try SMTPEmailProvider.Configuration(environment: credentials)), "SMTP relay")
        case ("twilio", .sms):
            return (TwilioSMSProvider(configuration: try .init(environment: credentials), client: HTTPClient(workers: try httpWorkers(environment))), "Twilio")
        case ("fcm", .push):
            return (try FCMProvider(configuration: try .init(environment: credentials), client: HTTPClient(workers: try httpWorkers(environment))), "FCM")
        case ("apns", .push):
            return (try APNsProvider(configuration: try .init(environment: credentials), client: HTTPClient(workers: try httpWorkers(environment))), "APNs")
        case ("webhook", .webhook):
            return (try WebhookProvider(configuration: try .init(environment: credentials), client: HTTPClient(workers: try httpWorkers(environment))), "signed webhooks")
        case ("inbox", .inapp):
            return (InAppInboxProvider(redis: redis, keyspace: keyspace), "Redis inbox")
        default:
            throw ChannelProviderError.unknownProvider(variable: variable, name: name, channel: channel)
        }
    }

    /// One curl worker thread per provider call that can be in flight in this process
    /// (`HERALD_SEND_CONCURRENCY` × `HERALD_CONCURRENCY`, at most 256): each transfer blocks its
    /// thread, so fewer threads would queue a fast call behind a slow endpoint's.
    static func httpWorkers(_ environment: [String: String]) throws(FleetConfigurationError) -> Int {
        let settings = ConfigurationReader(environment: environment)
        let perLoop = try settings.integer("HERALD_SEND_CONCURRENCY"), loops = try settings.integer("HERALD_CONCURRENCY")
        return min(256, max(4, perLoop * loops))
    }

    private static func outboxDirectory(_ environment: [String: String]) -> URL {
        // A path: any text is one, so there is nothing to reject.
        URL(fileURLWithPath: environment["HERALD_OUTBOX_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".herald/outbox")
    }
}
