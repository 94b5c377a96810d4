/// Why a message was not sent to a user, as recorded with the delivery and shown in dashboards.
///
/// The raw values are stable snake_case codes (`suppressed: frequency_cap`).
public enum SuppressionReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// The address hard-bounced; nothing is sent to it again, transactional included.
    case hardBounce = "hard_bounce"
    /// The recipient marked a message as spam; nothing is sent to the address again.
    case complaint = "complaint"
    /// The user unsubscribed (an `Unsubscribed` event or a List-Unsubscribe click).
    case unsubscribed = "unsubscribed"
    /// The push service reported the device token as no longer registered.
    case unregisteredToken = "unregistered_token"
    /// The profile trait `unsubscribed: true` (marketing only).
    case globalUnsubscribe = "global_unsubscribe"
    /// The profile withholds marketing consent on this channel (`marketingConsent.<channel>: false`).
    case noMarketingConsent = "no_marketing_consent"
    /// The profile opted out of the whole channel (`channels.<channel>.optOut: true`).
    case channelOptOut = "channel_opt_out"
    /// A marketing message over a frequency cap, dropped and recorded.
    case frequencyCap = "frequency_cap"
    /// The profile has no address for the channel (no email, phone or device token).
    case noRecipient = "no_recipient"
}
