import Foundation
import HeraldCore

/// What a List-Unsubscribe link stands for: this user, off this channel and category.
///
/// Sign and verify with `UnsubscribeSigner`; the token is `base64url(payload).base64url(mac)`.
public struct UnsubscribeToken: Sendable, Hashable {
    /// The user.
    public var userId: String
    /// The channel to unsubscribe from.
    public var channel: Channel
    /// The category, or `nil` for all.
    public var category: MessageCategory?
    /// When the link was made (whole seconds).
    public var issuedAt: Date

    /// Creates a token; `issuedAt` is truncated to whole seconds, as it is encoded.
    public init(userId: String, channel: Channel, category: MessageCategory? = .marketing, issuedAt: Date) {
        self.userId = userId
        self.channel = channel
        self.category = category
        self.issuedAt = Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down))
    }

    /// The signed payload: `{"v":1,"u":…,"c":…,"k":…,"t":…}`.
    var payload: JSONValue {
        .object([
            "v": 1, "u": .string(userId), "c": .string(channel.rawValue), "k": .string(category?.rawValue ?? "all"),
            "t": .number(issuedAt.timeIntervalSince1970),
        ])
    }

    init?(payload: JSONValue) {
        guard payload["v"]?.numberValue == 1, let userId = payload["u"]?.stringValue,
            let channel = payload["c"]?.stringValue.flatMap(Channel.init(rawValue:)),
            let categoryText = payload["k"]?.stringValue, let seconds = payload["t"]?.numberValue
        else { return nil }
        var category: MessageCategory?
        if categoryText != "all" {
            guard let parsed = MessageCategory(rawValue: categoryText) else { return nil }
            category = parsed
        }
        self.init(userId: userId, channel: channel, category: category, issuedAt: Date(timeIntervalSince1970: seconds))
    }

    /// The `Unsubscribed` event the unsubscribe endpoint ingests once the token verifies; its
    /// suppression comes from `FeedbackEvents.suppressionUpdates(for:)`.
    public func event(messageId: String, at: Date) -> Event {
        Event(
            type: .track, messageId: messageId, userId: userId, event: FeedbackEvents.unsubscribed,
            properties: [
                "channel": .string(channel.rawValue), "category": .string(category?.rawValue ?? "all"),
                "source": "list-unsubscribe",
            ],
            timestamp: at)
    }
}
