import Foundation
import HeraldCore
import HeraldDelivery

/// Everything one channel's sender process reads from its environment besides its provider's
/// credentials (`ChannelProviders` reads those), typed and checked once at start; defaults are the
/// variable table's (`ConfigurationCatalogue+Senders.swift`). `SenderProcess` builds each loop's
/// `SenderConfiguration` from it once the provider, templates and signer exist.
public struct SenderProcessConfiguration: Sendable {
    /// The channel this sender serves.
    public var channel: Channel
    /// Redis, the keyspace, worker loops (`HERALD_CONCURRENCY`), metrics.
    public var fleet: FleetConfiguration
    /// The send workers' reads, claims and dead letters (128 entries per read unless `HERALD_BATCH_SIZE`).
    public var workers: StreamWorkerSettings
    /// The directory of `templates/` (`HERALD_CONFIG_DIR`).
    public var configDirectory: URL
    /// Quiet hours (`HERALD_QUIET_HOURS` in `HERALD_TIME_ZONE`), caps (`HERALD_FREQUENCY_CAPS`) and
    /// what a capped message does (`HERALD_CAP_OVERFLOW`).
    public var policy: DeliveryPolicy
    /// `HERALD_QUIET_HOURS` as set, for the start-up log.
    public var quietHours: String?
    /// `HERALD_FREQUENCY_CAPS` as set, for the start-up log.
    public var frequencyCaps: String?
    /// Backoff and attempts (`HERALD_RETRY_BASE_MS`, `HERALD_RETRY_MAX_MS`, `HERALD_RETRY_MAX_ATTEMPTS`).
    public var retry: RetryPolicy
    /// Provider calls in flight per loop (`HERALD_SEND_CONCURRENCY`).
    public var sendConcurrency: Int
    /// How much of a user's trail is kept (`HERALD_TRAIL_MAX`, `HERALD_TRAIL_MAX_AGE_MS`).
    public var trailRetention: TrailRetention
    /// How many records each delivery-record shard keeps (`HERALD_DELIVERIES_MAX`).
    public var deliveries: DeliveryLogRetention
    /// The claim lease as set (`HERALD_CLAIM_LEASE_MS`); `nil`: derived from the provider's call timeout.
    public var claimLeaseMilliseconds: Int?
    /// The `sent:` markers' retention as set (`HERALD_SENT_RETENTION_MS`); `nil`: derived.
    public var sentRetentionMilliseconds: Int?
    /// The Redis outage the derived `sent:` retention allows for (`HERALD_SENT_OUTAGE_ALLOWANCE_MS`).
    public var sentOutageAllowanceMilliseconds: Int
    /// How long a parked send stays replayable (`HERALD_UNKNOWN_RETENTION_MS`).
    public var unknownRetentionMilliseconds: Int
    /// What happens to a send whose sender died mid-call (`HERALD_UNCERTAIN_SENDS`).
    public var uncertain: UncertainSendPolicies
    /// The page that takes an unsubscribe token (`HERALD_UNSUBSCRIBE_URL`).
    public var unsubscribeURL: String
    /// The webhook sender's endpoint for profiles without one (`HERALD_WEBHOOK_URL`); `nil` on other channels.
    public var webhookURL: String?
    /// `{{brand.name}}` in templates (`HERALD_BRAND_NAME`).
    public var brandName: String
    /// The email sender's base for tracked links (`HERALD_TRACKING_URL`, else `HERALD_EDGE_PUBLIC_URL`);
    /// `nil` on other channels or when neither is set.
    public var trackingBaseURL: String?

    /// Reads `channel`'s sender configuration; a bad or unknown variable is an error naming it.
    public init(channel: Channel, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(channel: channel, reader: ConfigurationReader(environment: environment, executable: .sender(channel)))
    }

    /// Reads `channel`'s sender configuration through `reader`.
    public init(channel: Channel, reader: ConfigurationReader) throws {
        self.channel = channel
        fleet = try FleetConfiguration(reader: reader)
        workers = try StreamWorkerSettings(reader: reader)
        configDirectory = URL(fileURLWithPath: try reader.text("HERALD_CONFIG_DIR"))
        policy = DeliveryPolicy()
        let fleetZone = try reader.text("HERALD_TIME_ZONE")
        quietHours = try reader.textIfSet("HERALD_QUIET_HOURS")
        if let quietHours { policy.quietHours = try QuietHoursPolicy.parse(window: quietHours, fleetTimeZone: fleetZone) }
        frequencyCaps = try reader.textIfSet("HERALD_FREQUENCY_CAPS")
        if let frequencyCaps { policy.frequencyCaps = try FrequencyCapPolicy.parse(frequencyCaps) }
        if try reader.text("HERALD_CAP_OVERFLOW") == "defer" { policy.capOverflow = .deferUntilFree }
        retry = RetryPolicy(
            baseDelay: Double(try reader.integer("HERALD_RETRY_BASE_MS")) / 1000, maxDelay: Double(try reader.integer("HERALD_RETRY_MAX_MS")) / 1000,
            maxAttempts: try reader.integer("HERALD_RETRY_MAX_ATTEMPTS"))
        sendConcurrency = try reader.integer("HERALD_SEND_CONCURRENCY")
        trailRetention = try TrailRetention(reader: reader)
        deliveries = try DeliveryLogRetention(reader: reader)
        claimLeaseMilliseconds = try reader.integerIfSet("HERALD_CLAIM_LEASE_MS")
        sentRetentionMilliseconds = try reader.integerIfSet("HERALD_SENT_RETENTION_MS")
        sentOutageAllowanceMilliseconds = try reader.integer("HERALD_SENT_OUTAGE_ALLOWANCE_MS")
        unknownRetentionMilliseconds = try reader.integer("HERALD_UNKNOWN_RETENTION_MS")
        uncertain = UncertainSendPolicies()
        if let text = try reader.textIfSet("HERALD_UNCERTAIN_SENDS") {
            do {
                uncertain = try UncertainSendPolicies.parse(text)
            } catch {
                throw FleetConfigurationError.invalid(variable: "HERALD_UNCERTAIN_SENDS", value: text, expected: "transactional=resend|park,marketing=resend|park (\(error))")
            }
        }
        unsubscribeURL = try reader.text("HERALD_UNSUBSCRIBE_URL")
        webhookURL = channel == .webhook ? try reader.textIfSet("HERALD_WEBHOOK_URL") : nil
        brandName = try reader.text("HERALD_BRAND_NAME")
        trackingBaseURL = channel == .email ? try reader.textIfSet("HERALD_TRACKING_URL") ?? reader.textIfSet("HERALD_EDGE_PUBLIC_URL") : nil
    }

    /// The options of worker loop `index`.
    public func workerOptions(index: Int) -> StreamWorkerOptions {
        workers.options(group: fleet.keyspace.senderGroup(channel), index: index, keyspace: fleet.keyspace, defaultBatchSize: 128)
    }

    /// The idempotency claims for a provider whose calls time out after `providerTimeout` seconds:
    /// the lease (as set, which must be longer than a call, else derived from the timeout), the
    /// uncertain-send policies and the markers' retention (`sent:` as set, else derived from the
    /// workers' claim settings, the lease and the outage allowance; `unknown:` as set).
    public func idempotencyPolicy(providerTimeout: TimeInterval) throws(FleetConfigurationError) -> IdempotencyPolicy {
        var policy = IdempotencyPolicy(lease: IdempotencyPolicy.defaultLease(providerTimeout: providerTimeout))
        policy.unknownRetention = Double(unknownRetentionMilliseconds) / 1000
        if let lease = claimLeaseMilliseconds {
            // A lease shorter than a call lets a second sender take over a call still in flight.
            guard Double(lease) / 1000 > providerTimeout else {
                throw .invalid(
                    variable: "HERALD_CLAIM_LEASE_MS", value: String(lease),
                    expected: "a lease longer than the provider's call timeout (\(Int(providerTimeout * 1000)) ms)")
            }
            policy.lease = Double(lease) / 1000
        }
        policy.uncertain = uncertain
        let options = workerOptions(index: 0)
        policy.sentRetention = sentRetentionMilliseconds.map { Double($0) / 1000 } ?? IdempotencyPolicy.derivedSentRetention(
            claimIdle: Double(options.claimMinIdleMilliseconds) / 1000,
            claimInterval: Double(options.claimInterval.components.seconds) + Double(options.claimInterval.components.attoseconds) / 1e18,
            maxDeliveries: options.maxDeliveries, lease: policy.lease, outageAllowance: Double(sentOutageAllowanceMilliseconds) / 1000)
        return policy
    }
}
