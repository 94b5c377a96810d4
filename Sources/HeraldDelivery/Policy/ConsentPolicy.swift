import HeraldCore

/// Decides whether a user may receive a message on a channel in a category.
///
/// Two sources are consulted:
/// - the suppression record: entries without a category (hard bounce, complaint, unregistered
///   token, an `Unsubscribed` with `category: "all"`) block every message, transactional included;
///   entries with a category block only that category;
/// - profile traits, which are marketing preferences and never block a transactional message:
///   `unsubscribed: true`, `marketingConsent: {<channel>: false}` (or `marketingConsent: false`),
///   `channels.<channel>.optOut: true`.
public struct ConsentPolicy: Sendable, Hashable {
    /// Opt-in mode (e.g. GDPR): marketing needs `marketingConsent.<channel>: true`, not just the
    /// absence of `false`.
    public var requireExplicitMarketingConsent: Bool

    /// Creates a policy; opt-out mode by default.
    public init(requireExplicitMarketingConsent: Bool = false) {
        self.requireExplicitMarketingConsent = requireExplicitMarketingConsent
    }

    /// The channels that need a resolved address; webhook and in-app reach the user by id.
    public static let addressedChannels: Set<Channel> = [.email, .sms, .push]

    /// Decides for one message. `recipient` is the address the sender resolved (email, E.164
    /// number, device token), `nil` when the profile has none.
    public func evaluate(
        channel: Channel, category: MessageCategory, recipient: String?, traits: [String: JSONValue],
        suppression: SuppressionRecord
    ) -> ConsentDecision {
        if let entry = suppression.blockingEntry(channel: channel, category: category, address: recipient) {
            return .suppress(entry.reason)
        }
        if category == .marketing, let reason = marketingPreference(channel: channel, traits: traits) {
            return .suppress(reason)
        }
        if ConsentPolicy.addressedChannels.contains(channel), recipient?.isEmpty ?? true {
            return .suppress(.noRecipient)
        }
        return .allow
    }

    /// Decides for a send request.
    public func evaluate(
        _ request: SendRequest, recipient: String?, traits: [String: JSONValue], suppression: SuppressionRecord
    ) -> ConsentDecision {
        evaluate(channel: request.channel, category: request.category, recipient: recipient, traits: traits, suppression: suppression)
    }

    private func marketingPreference(channel: Channel, traits: [String: JSONValue]) -> SuppressionReason? {
        if ConsentPolicy.flag(traits["unsubscribed"]) == true { return .globalUnsubscribe }
        let profile = JSONValue.object(traits)
        if ConsentPolicy.flag(profile.value(atPath: "channels.\(channel.rawValue).optOut")) == true { return .channelOptOut }
        let consent: Bool?
        switch traits["marketingConsent"] {
        case .object(let perChannel)?: consent = ConsentPolicy.flag(perChannel[channel.rawValue])
        case let other?: consent = ConsentPolicy.flag(other)
        case nil: consent = nil
        }
        if consent == false || (requireExplicitMarketingConsent && consent != true) { return .noMarketingConsent }
        return nil
    }

    // Profiles arrive from many producers: accept the booleans they actually send.
    static func flag(_ value: JSONValue?) -> Bool? {
        switch value {
        case .bool(let flag)?: return flag
        case .string(let text)?:
            switch text.lowercased() {
            case "true", "yes", "1": return true
            case "false", "no", "0": return false
            default: return nil
            }
        case .number(let number)?: return number != 0
        default: return nil
        }
    }
}
