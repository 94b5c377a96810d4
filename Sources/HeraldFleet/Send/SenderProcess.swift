import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTemplates

/// Builds a channel sender's services from its process configuration; each sender executable's
/// `main` is one call to this.
public enum SenderProcess {
    /// The worker loops for `channel`, reading every partition's outbox of that channel.
    public static func services(channel: Channel, process: FleetProcess) throws -> [any Service] {
        let configuration = process.configuration
        let environment = configuration.environment
        let keyspace = configuration.keyspace
        let configDirectory = URL(fileURLWithPath: try FleetConfiguration.text("HERALD_CONFIG_DIR", in: environment) ?? "config")
        let templates = try TemplateLibrary(directory: configDirectory.appendingPathComponent("templates"))
        let (provider, description) = try ChannelProviders.make(
            channel, environment: environment, redis: configuration.redis, keyspace: keyspace, metrics: process.metrics)
        let local = ChannelProviders.isLocal(provider)
        process.metrics.set(.senderInfo, to: 1, ["channel": channel.rawValue, "provider": provider.name, "delivery": local ? "local" : "external"])
        if local && channel != .inapp {
            // The documented state of a sender without credentials (docs/observability.md): it runs,
            // and its messages go to the outbox directory instead of a provider.
            process.logger.warning("no provider credentials: messages are written to the outbox directory, not sent", [
                "channel": .string(channel.rawValue), "provider": .string(description)])
        }
        let fleetZone = try FleetConfiguration.text("HERALD_TIME_ZONE", in: environment) ?? "UTC"
        var policy = DeliveryPolicy()
        if let window = try FleetConfiguration.text("HERALD_QUIET_HOURS", in: environment) {
            policy.quietHours = try QuietHoursPolicy.parse(window: window, fleetTimeZone: fleetZone)
        }
        if let caps = try FleetConfiguration.text("HERALD_FREQUENCY_CAPS", in: environment) {
            policy.frequencyCaps = try FrequencyCapPolicy.parse(caps)
        }
        if try FleetConfiguration.text("HERALD_CAP_OVERFLOW", in: environment) == "defer" { policy.capOverflow = .deferUntilFree }
        let signer = try unsubscribeSigner(channel: channel, environment: environment)
        func number(_ name: String) throws -> Int? { try FleetConfiguration.integer(name, in: environment) }
        var retry = RetryPolicy()
        if let base = try number("HERALD_RETRY_BASE_MS") { retry.baseDelay = Double(base) / 1000 }
        if let max = try number("HERALD_RETRY_MAX_MS") { retry.maxDelay = Double(max) / 1000 }
        if let attempts = try number("HERALD_RETRY_MAX_ATTEMPTS") { retry.maxAttempts = attempts }
        // The shared limiter is keyed by the primary provider's name, so replicas agree on it.
        let limitedProvider = (provider as? FailoverProvider)?.primary.name ?? provider.name
        let rateLimit = try ChannelRateLimit.parse(channel: channel, environment: environment, keyspace: keyspace, provider: limitedProvider)
        process.logger.info("sender ready", [
            "channel": .string(channel.rawValue), "provider": .string(description),
            "quietHours": .string(environment["HERALD_QUIET_HOURS"] ?? "off"), "caps": .string(environment["HERALD_FREQUENCY_CAPS"] ?? "none"),
            "rateLimit": .string(rateLimit.map { "\($0.limiter.rate)/s burst \($0.limiter.burst) on \($0.key)" } ?? "none"),
        ])
        let sendConcurrency = try FleetConfiguration.integer("HERALD_SEND_CONCURRENCY", in: environment) ?? 32
        let trailRetention = try TrailRetention.fromEnvironment(environment)
        let deliveries = try DeliveryLogRetention.fromEnvironment(environment)
        let idempotency = try idempotencyPolicy(
            environment: environment, provider: provider, worker: try process.workerOptions(group: keyspace.senderGroup(channel), index: 0))
        process.logger.info("idempotency claims", [
            "leaseMs": .number(idempotency.lease * 1000), "providerTimeoutMs": .number(provider.callTimeout * 1000),
            "sentRetentionMs": .number(idempotency.sentRetention * 1000),
            "uncertainTransactional": .string(idempotency.uncertain.transactional.rawValue),
            "uncertainMarketing": .string(idempotency.uncertain.marketing.rawValue),
        ])
        let tracking = channel == .email ? try trackingRewriter(environment: environment) : nil
        if channel == .email { process.logger.info("open and click tracking", ["enabled": .bool(tracking != nil), "base": .string(tracking?.baseURL ?? "")]) }
        let streams = keyspace.allPartitions.map { keyspace.outbox($0, channel) }
        var samples = [MetricsSampler.streamGroups(group: keyspace.senderGroup(channel), streams: { streams }, metrics: process.metrics)]
        if let failover = provider as? FailoverProvider {
            samples.append(breakerSample(failover, channel: channel, metrics: process.metrics))
        }
        let sampler = try process.metricsSampler(samples)
        let unsubscribeURL = try FleetConfiguration.text("HERALD_UNSUBSCRIBE_URL", in: environment) ?? "https://example.com/unsubscribe"
        let webhookURL = try FleetConfiguration.text("HERALD_WEBHOOK_URL", in: environment)
        let brandName = try FleetConfiguration.text("HERALD_BRAND_NAME", in: environment) ?? "Herald Shop"
        return try sampler + (0..<configuration.concurrency).map { index in
            let options = try process.workerOptions(group: keyspace.senderGroup(channel), index: index, batchSize: 128)
            let senderConfiguration = SenderConfiguration(
                channel: channel, keyspace: keyspace, policy: policy, idempotency: idempotency, retry: retry, templates: templates, unsubscribe: signer,
                unsubscribeBaseURL: unsubscribeURL,
                webhookURL: webhookURL, consumer: options.consumer,
                sendConcurrency: sendConcurrency,
                brandName: brandName, rateLimit: rateLimit,
                trailRetention: trailRetention, deliveries: deliveries, tracking: tracking)
            let handler = SenderHandler(configuration: senderConfiguration, provider: provider, metrics: process.metrics, logger: process.logger)
            return StreamWorker(
                name: "send-\(channel.rawValue)-\(index)", redis: configuration.redis, options: options, streams: { streams },
                handler: handler, logger: process.logger, metrics: process.metrics, heartbeat: process.heartbeat)
        }
    }

    /// `herald_circuit_breaker_state` of each provider of a failover pair: 0 closed, 1 half-open, 2 open.
    static func breakerSample(_ failover: FailoverProvider, channel: Channel, metrics: Metrics) -> MetricsSampler.Sample {
        let names = [failover.primary.name] + (failover.secondary.map { [$0.name] } ?? [])
        return { _ in
            for (name, state) in zip(names, await failover.health.states()) {
                let value: Double
                switch state {
                case .closed: value = 0
                case .halfOpen: value = 1
                case .open(let until): value = until > Date() ? 2 : 1
                }
                metrics.set(.breakerState, to: value, ["channel": channel.rawValue, "provider": name])
            }
        }
    }

    /// The claim lease (`HERALD_CLAIM_LEASE_MS`, by default derived from the provider's call
    /// timeout), the uncertain-send policies (`HERALD_UNCERTAIN_SENDS`) and the markers' retention:
    /// `sent:` derived from the worker's claim settings and the lease
    /// (`IdempotencyPolicy.derivedSentRetention`, outage allowance `HERALD_SENT_OUTAGE_ALLOWANCE_MS`,
    /// or all of it `HERALD_SENT_RETENTION_MS`), `unknown:` `HERALD_UNKNOWN_RETENTION_MS` (30 days).
    static func idempotencyPolicy(environment: [String: String], provider: any MessageProvider, worker: StreamWorkerOptions) throws -> IdempotencyPolicy {
        var policy = IdempotencyPolicy(lease: IdempotencyPolicy.defaultLease(providerTimeout: provider.callTimeout))
        let sentRetention = try FleetConfiguration.integer("HERALD_SENT_RETENTION_MS", in: environment).map { Double($0) / 1000 }
        let outage = try FleetConfiguration.integer("HERALD_SENT_OUTAGE_ALLOWANCE_MS", in: environment).map { Double($0) / 1000 } ?? IdempotencyPolicy.defaultOutageAllowance
        if let unknown = try FleetConfiguration.integer("HERALD_UNKNOWN_RETENTION_MS", in: environment) { policy.unknownRetention = Double(unknown) / 1000 }
        if let lease = try FleetConfiguration.integer("HERALD_CLAIM_LEASE_MS", in: environment) {
            // A lease shorter than a call lets a second sender take over a call still in flight.
            guard Double(lease) / 1000 > provider.callTimeout else {
                throw FleetConfigurationError.invalid(
                    variable: "HERALD_CLAIM_LEASE_MS", value: String(lease),
                    expected: "a lease longer than the provider's call timeout (\(Int(provider.callTimeout * 1000)) ms)")
            }
            policy.lease = Double(lease) / 1000
        }
        if let text = try FleetConfiguration.text("HERALD_UNCERTAIN_SENDS", in: environment) {
            do {
                policy.uncertain = try UncertainSendPolicies.parse(text)
            } catch {
                throw FleetConfigurationError.invalid(variable: "HERALD_UNCERTAIN_SENDS", value: text, expected: "transactional=resend|park,marketing=resend|park (\(error))")
            }
        }
        policy.sentRetention = sentRetention ?? IdempotencyPolicy.derivedSentRetention(
            claimIdle: Double(worker.claimMinIdleMilliseconds) / 1000,
            claimInterval: Double(worker.claimInterval.components.seconds) + Double(worker.claimInterval.components.attoseconds) / 1e18,
            maxDeliveries: worker.maxDeliveries, lease: policy.lease, outageAllowance: outage)
        return policy
    }

    /// The email sender's open and click tracking: the link secrets (`HERALD_EDGE_LINK_SECRETS`,
    /// `HERALD_EDGE_LINK_SECRET`, each also `_FILE`; the edge verifies with the same) and the edge's
    /// public base (`HERALD_TRACKING_URL`, else `HERALD_EDGE_PUBLIC_URL`); `nil` (off) unless both
    /// are set. The unsubscribe page's links are never rewritten.
    static func trackingRewriter(environment: [String: String]) throws -> TrackedLinkRewriter? {
        let secrets = try EdgeSecretList.read("HERALD_EDGE_LINK_SECRET", environment: environment)
        let base = try FleetConfiguration.text("HERALD_TRACKING_URL", in: environment) ?? FleetConfiguration.text("HERALD_EDGE_PUBLIC_URL", in: environment)
        guard let base, let signer = TrackedLinkSigner(secrets: secrets) else { return nil }
        return TrackedLinkRewriter(
            baseURL: base, signer: signer, untrackedPrefixes: [try FleetConfiguration.text("HERALD_UNSUBSCRIBE_URL", in: environment) ?? "https://example.com/unsubscribe"])
    }

    /// The signer of one-click unsubscribe links, keyed by `HERALD_UNSUBSCRIBE_SECRET`, or by the
    /// contents of the file `HERALD_UNSUBSCRIBE_SECRET_FILE` names (one trailing newline dropped).
    /// Every channel's sender needs it, because a marketing message's template may use
    /// `{{unsubscribeUrl}}` on any channel; email also carries it in `List-Unsubscribe`. There is no
    /// built-in key: a key anyone can read lets anyone unsubscribe anyone.
    static func unsubscribeSigner(channel: Channel, environment: [String: String]) throws(SenderError) -> UnsubscribeSigner {
        let secret: Secret
        do {
            secret = try CredentialSource(environment: environment).secret("HERALD_UNSUBSCRIBE_SECRET")
        } catch {
            throw .unsubscribeKey(channel: channel, reason: error.description)
        }
        do {
            return try UnsubscribeSigner(keys: [Array(secret.reveal().utf8)])
        } catch {
            throw .unsubscribeKey(channel: channel, reason: "HERALD_UNSUBSCRIBE_SECRET: \(error.description)")
        }
    }
}
