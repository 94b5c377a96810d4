import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTemplates

/// Everything one channel's sender needs besides its provider.
public struct SenderConfiguration: Sendable {
    /// The channel this sender serves.
    public var channel: Channel
    /// Key names.
    public var keyspace: Keyspace
    /// Consent, quiet hours and caps.
    public var policy: DeliveryPolicy
    /// Claim lease and retention of sent keys.
    public var idempotency: IdempotencyPolicy
    /// Backoff and attempt limits.
    public var retry: RetryPolicy
    /// Message templates (config/templates).
    public var templates: TemplateLibrary
    /// Signs one-click unsubscribe links.
    public var unsubscribe: UnsubscribeSigner
    /// The page that takes an unsubscribe token (`?token=`).
    public var unsubscribeBaseURL: String
    /// The endpoint for webhook messages when the profile names none.
    public var webhookURL: String?
    /// This process's consumer name (idempotency claims).
    public var consumer: String
    /// Provider calls in flight at once per worker loop.
    public var sendConcurrency: Int
    /// The business's name, `{{brand.name}}` in templates.
    public var brandName: String
    /// The provider-wide rate limit shared by every replica (`HERALD_<CHANNEL>_RATE`), if any.
    public var rateLimit: ChannelRateLimit?
    /// How much of a user's trail is kept (`HERALD_TRAIL_MAX`, `HERALD_TRAIL_MAX_AGE_MS`): senders
    /// add each send's outcome to it.
    public var trailRetention: TrailRetention
    /// How many records each delivery-record shard keeps (`HERALD_DELIVERIES_MAX`).
    public var deliveries: DeliveryLogRetention
    /// Rewrites HTML email for open and click tracking when a send step opts in
    /// (`HERALD_EDGE_LINK_SECRET(S)` and `HERALD_TRACKING_URL` or `HERALD_EDGE_PUBLIC_URL`); `nil`: off.
    public var tracking: TrackedLinkRewriter?

    /// Creates a configuration.
    public init(
        channel: Channel, keyspace: Keyspace, policy: DeliveryPolicy, idempotency: IdempotencyPolicy = IdempotencyPolicy(),
        retry: RetryPolicy = RetryPolicy(), templates: TemplateLibrary, unsubscribe: UnsubscribeSigner,
        unsubscribeBaseURL: String, webhookURL: String? = nil, consumer: String, sendConcurrency: Int = 32, brandName: String = "Herald Shop",
        rateLimit: ChannelRateLimit? = nil, trailRetention: TrailRetention = .standard,
        deliveries: DeliveryLogRetention = .standard, tracking: TrackedLinkRewriter? = nil
    ) {
        self.tracking = tracking
        self.trailRetention = trailRetention
        self.deliveries = deliveries
        self.rateLimit = rateLimit
        self.brandName = brandName
        self.channel = channel
        self.keyspace = keyspace
        self.policy = policy
        self.idempotency = idempotency
        self.retry = retry
        self.templates = templates
        self.unsubscribe = unsubscribe
        self.unsubscribeBaseURL = unsubscribeBaseURL
        self.webhookURL = webhookURL
        self.consumer = consumer
        self.sendConcurrency = sendConcurrency
    }
}
