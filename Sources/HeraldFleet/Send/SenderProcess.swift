import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTemplates

/// Builds a channel sender's services from its process configuration; each sender executable's
/// `main` is one call to this.
public enum SenderProcess {
    /// The worker loops for `channel`, reading every partition's outbox of that channel.
    public static func services(channel: Channel, process: FleetProcess) throws -> [any Service] {
        let configuration = try SenderProcessConfiguration(channel: channel, environment: process.configuration.environment)
        let environment = configuration.fleet.environment
        let keyspace = configuration.fleet.keyspace
        let templates = try TemplateLibrary(directory: configuration.configDirectory.appendingPathComponent("templates"))
        let (provider, description) = try ChannelProviders.make(
            channel, environment: environment, redis: configuration.fleet.redis, keyspace: keyspace, metrics: process.metrics)
        let local = ChannelProviders.isLocal(provider)
        process.metrics.set(.senderInfo, to: 1, ["channel": channel.rawValue, "provider": provider.name, "delivery": local ? "local" : "external"])
        if local && channel != .inapp {
            // The documented state of a sender without credentials (docs/observability.md): it runs,
            // and its messages go to the outbox directory instead of a provider.
            process.logger.warning("no provider credentials: messages are written to the outbox directory, not sent", [
                "channel": .string(channel.rawValue), "provider": .string(description)])
        }
        let signer = try unsubscribeSigner(channel: channel, environment: environment)
        // The shared limiter is keyed by the primary provider's name, so replicas agree on it.
        let limitedProvider = (provider as? FailoverProvider)?.primary.name ?? provider.name
        let rateLimit = try ChannelRateLimit.parse(channel: channel, environment: environment, keyspace: keyspace, provider: limitedProvider)
        process.logger.info("sender ready", [
            "channel": .string(channel.rawValue), "provider": .string(description),
            "quietHours": .string(configuration.quietHours ?? "off"), "caps": .string(configuration.frequencyCaps ?? "none"),
            "rateLimit": .string(rateLimit.map { "\($0.limiter.rate)/s burst \($0.limiter.burst) on \($0.key)" } ?? "none"),
        ])
        let idempotency = try configuration.idempotencyPolicy(providerTimeout: provider.callTimeout)
        process.logger.info("idempotency claims", [
            "leaseMs": .number(idempotency.lease * 1000), "providerTimeoutMs": .number(provider.callTimeout * 1000),
            "sentRetentionMs": .number(idempotency.sentRetention * 1000),
            "uncertainTransactional": .string(idempotency.uncertain.transactional.rawValue),
            "uncertainMarketing": .string(idempotency.uncertain.marketing.rawValue),
        ])
        let tracking = channel == .email ? try trackingRewriter(configuration, environment: environment) : nil
        if channel == .email { process.logger.info("open and click tracking", ["enabled": .bool(tracking != nil), "base": .string(tracking?.baseURL ?? "")]) }
        let streams = keyspace.allPartitions.map { keyspace.outbox($0, channel) }
        var samples = [MetricsSampler.streamGroups(group: keyspace.senderGroup(channel), streams: { streams }, metrics: process.metrics)]
        if let failover = provider as? FailoverProvider {
            samples.append(breakerSample(failover, channel: channel, metrics: process.metrics))
        }
        let sampler = try process.metricsSampler(samples)
        return sampler + (0..<configuration.fleet.concurrency).map { index in
            let options = configuration.workerOptions(index: index)
            let senderConfiguration = SenderConfiguration(
                channel: channel, keyspace: keyspace, policy: configuration.policy, idempotency: idempotency, retry: configuration.retry,
                templates: templates, unsubscribe: signer, unsubscribeBaseURL: configuration.unsubscribeURL,
                webhookURL: configuration.webhookURL, consumer: options.consumer, sendConcurrency: configuration.sendConcurrency,
                brandName: configuration.brandName, rateLimit: rateLimit,
                trailRetention: configuration.trailRetention, deliveries: configuration.deliveries, tracking: tracking)
            let handler = SenderHandler(configuration: senderConfiguration, provider: provider, metrics: process.metrics, logger: process.logger)
            return StreamWorker(
                name: "send-\(channel.rawValue)-\(index)", redis: configuration.fleet.redis, options: options, streams: { streams },
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

    /// The email sender's open and click tracking: the link secrets (`HERALD_EDGE_LINK_SECRETS`,
    /// `HERALD_EDGE_LINK_SECRET`, each also `_FILE`; the edge verifies with the same) and the edge's
    /// public base (`SenderProcessConfiguration.trackingBaseURL`); `nil` (off) unless both are set.
    /// The unsubscribe page's links are never rewritten.
    static func trackingRewriter(_ configuration: SenderProcessConfiguration, environment: [String: String]) throws -> TrackedLinkRewriter? {
        let secrets = try EdgeSecretList.read("HERALD_EDGE_LINK_SECRET", environment: environment)
        guard let base = configuration.trackingBaseURL, let signer = TrackedLinkSigner(secrets: secrets) else { return nil }
        return TrackedLinkRewriter(baseURL: base, signer: signer, untrackedPrefixes: [configuration.unsubscribeURL])
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
