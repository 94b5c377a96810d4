import Foundation
import HeraldCore

/// Turns feedback events (from providers' webhooks, the unsubscribe endpoint or producers) and
/// provider errors into suppression updates. The event names and properties are documented in
/// `docs/delivery.md`.
///
/// Only the user-intent events (`producerNames`: `Unsubscribed`, `Subscribed`) are accepted from
/// producers through `herald:ingest`; the others report what a provider said and are applied only
/// when Herald itself puts them on the partition stream as `kind` = `feedback`.
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
    /// `SMS Number Invalid` — property `phone` (the number as it was addressed, E.164 or
    /// `whatsapp:` + E.164): the SMS provider refused it as not a valid, reachable number.
    public static let smsNumberInvalid = "SMS Number Invalid"

    /// Every event name this type understands.
    public static let names: Set<String> = [unsubscribed, subscribed, emailBounced, emailComplained, pushTokenUnregistered, smsNumberInvalid]

    /// The events a producer may send through `herald:ingest` and have applied: what the user
    /// asked for. Every other name in `names` changes suppressions only as Herald's own feedback.
    public static let producerNames: Set<String> = [unsubscribed, subscribed]

    /// The `context.source` prefix of the feedback events a Herald sender emits (`refusalEvent`).
    public static let senderSourcePrefix = "herald-"

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
        case smsNumberInvalid:
            return [.add(SuppressionEntry(channel: .sms, address: try required("phone"), reason: .hardBounce, since: at))]
        default:
            return [.add(SuppressionEntry(channel: .push, address: try required("token"), reason: .unregisteredToken, since: at))]
        }
    }

    /// The feedback event a sender emits when the provider refused `recipient` itself
    /// (`invalidRecipient`): `Email Bounced` (hard), `Push Token Unregistered` or `SMS Number
    /// Invalid`, about the message with idempotency key `messageKey`; `nil` for any other error and
    /// for webhook and in-app recipients, which are never suppressed. Its `messageId` is
    /// `herald-feedback-<messageKey>-<attempt>` and its `context.source` `herald-<channel>-sender`,
    /// which tells the evaluator that the sender already recorded and counted the bounce.
    public static func refusalEvent(
        for error: ProviderError, channel: Channel, recipient: String, userId: String, messageKey: String, attempt: Int, at: Date
    ) -> Event? {
        guard case .invalidRecipient = error else { return nil }
        let name: String
        var properties: [String: JSONValue] = ["messageId": .string(messageKey), "reason": .string(error.description)]
        switch channel {
        case .email:
            name = emailBounced
            properties["email"] = .string(recipient)
            properties["bounceType"] = "hard"
        case .push:
            name = pushTokenUnregistered
            properties["token"] = .string(recipient)
        case .sms:
            name = smsNumberInvalid
            properties["phone"] = .string(recipient)
        case .webhook, .inapp:
            return nil
        }
        return Event(
            type: .track, messageId: "herald-feedback-\(messageKey)-\(attempt)", userId: userId, event: name,
            properties: properties, timestamp: at, context: ["source": .string(senderSourcePrefix + channel.rawValue + "-sender")])
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
