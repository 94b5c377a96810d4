import Foundation
import HeraldCore

/// Turns feedback events (from providers' webhooks, the unsubscribe endpoint or producers) and
/// provider errors into suppression updates. The event names and properties are documented in
/// `docs/delivery.md`.
public enum FeedbackEvents {
    /// `Unsubscribed` — properties `channel` (omitted: every channel), `category` (`marketing`
    /// default, `transactional`, or `all`), `address` (optional: only that address).
    public static let unsubscribed = "Unsubscribed"
    /// `Subscribed` — properties `channel` (omitted: every channel), `category` (omitted: all):
    /// removes matching unsubscribes.
    public static let subscribed = "Subscribed"
    /// `Email Bounced` — properties `email`, `bounceType` (`hard` or `soft`; soft changes nothing).
    public static let emailBounced = "Email Bounced"
    /// `Email Complained` — property `email`.
    public static let emailComplained = "Email Complained"
    /// `Push Token Unregistered` — property `token`.
    public static let pushTokenUnregistered = "Push Token Unregistered"

    /// Every event name this type understands.
    public static let names: Set<String> = [unsubscribed, subscribed, emailBounced, emailComplained, pushTokenUnregistered]

    /// The suppression updates an event implies: empty for events that are not feedback (and for
    /// soft bounces); an error when a feedback event lacks what it needs.
    public static func suppressionUpdates(for event: Event) throws(FeedbackEventError) -> [SuppressionUpdate] {
        guard event.type == .track, let name = event.event, names.contains(name) else { return [] }
        let properties = event.properties
        let at = event.timestamp
        func required(_ key: String) throws(FeedbackEventError) -> String {
            guard let value = properties[key]?.stringValue, !value.isEmpty else { throw .missingProperty(event: name, property: key) }
            return value
        }
        func channels() throws(FeedbackEventError) -> [Channel] {
            guard let text = properties["channel"]?.stringValue else { return Channel.allCases }
            guard let channel = Channel(rawValue: text) else { throw .invalidProperty(event: name, property: "channel", value: text) }
            return [channel]
        }
        switch name {
        case unsubscribed:
            let category: MessageCategory?
            switch properties["category"]?.stringValue {
            case nil: category = .marketing
            case "all"?: category = nil
            case let text?:
                guard let parsed = MessageCategory(rawValue: text) else {
                    throw .invalidProperty(event: name, property: "category", value: text)
                }
                category = parsed
            }
            let address = properties["address"]?.stringValue
            return try channels().map {
                .add(SuppressionEntry(channel: $0, address: address, category: category, reason: .unsubscribed, since: at))
            }
        case subscribed:
            var category: MessageCategory?
            if let text = properties["category"]?.stringValue, text != "all" {
                guard let parsed = MessageCategory(rawValue: text) else {
                    throw .invalidProperty(event: name, property: "category", value: text)
                }
                category = parsed
            }
            return try channels().map { .resubscribe(channel: $0, category: category) }
        case emailBounced:
            let email = try required("email")
            let kind = (properties["bounceType"] ?? properties["type"])?.stringValue?.lowercased()
            switch kind {
            case "hard"?, "permanent"?:
                return [.add(SuppressionEntry(channel: .email, address: email, reason: .hardBounce, since: at))]
            case "soft"?, "transient"?:
                // A soft bounce is the retry policy's business; one is no reason to stop mailing.
                return []
            default:
                throw .invalidProperty(event: name, property: "bounceType", value: kind ?? "(missing)")
            }
        case emailComplained:
            return [.add(SuppressionEntry(channel: .email, address: try required("email"), reason: .complaint, since: at))]
        default:
            return [.add(SuppressionEntry(channel: .push, address: try required("token"), reason: .unregisteredToken, since: at))]
        }
    }

    /// The suppression a provider's `invalidRecipient` error implies for the address it was sent
    /// to (a hard bounce, or an unregistered device token); `nil` for any other error.
    public static func suppressionUpdate(
        for error: ProviderError, channel: Channel, recipient: String, at: Date
    ) -> SuppressionUpdate? {
        guard case .invalidRecipient = error else { return nil }
        switch channel {
        case .email, .sms:
            return .add(SuppressionEntry(channel: channel, address: recipient, reason: .hardBounce, since: at))
        case .push:
            return .add(SuppressionEntry(channel: .push, address: recipient, reason: .unregisteredToken, since: at))
        case .webhook, .inapp:
            return nil
        }
    }
}
