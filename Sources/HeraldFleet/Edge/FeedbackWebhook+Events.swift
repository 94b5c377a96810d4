import Foundation
import HeraldCore
import HeraldDelivery

extension FeedbackWebhook {
    /// The feedback events of one verified request: `body` is one event object or an array of
    /// them (documented in docs/edge.md, "Provider callbacks"). Each event's `messageId` is derived
    /// from `webhookId` (and its index in an array), so a redelivered webhook yields the same ids.
    ///
    /// | `type` | needs | becomes |
    /// |---|---|---|
    /// | `bounce` | `address`, `bounceType` (`hard`/`soft`); channel `email` or `sms` | `Email Bounced` / `SMS Number Invalid` (hard only) |
    /// | `complaint` | `address` | `Email Complained` |
    /// | `delivered`, `opened`, `clicked`, `failed`, `deferred` | `messageId` | `Message Delivered` … `Message Deferred` |
    public static func events(body: [UInt8], webhookId: String, now: Date) throws(FeedbackWebhookError) -> [Event] {
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(body)
        } catch {
            throw .notJSON
        }
        let objects: [[String: JSONValue]]
        if let single = parsed.objectValue {
            objects = [single]
        } else if let list = parsed.arrayValue {
            guard list.count <= maximumEvents else { throw .tooManyEvents(list.count) }
            var all: [[String: JSONValue]] = []
            for item in list {
                guard let object = item.objectValue else { throw .notJSON }
                all.append(object)
            }
            objects = all
        } else {
            throw .notJSON
        }
        var events: [Event] = []
        for (index, object) in objects.enumerated() {
            let id = objects.count == 1 ? "edge-feedback-\(webhookId)" : "edge-feedback-\(webhookId)-\(index)"
            events.append(try event(object, index: index, messageId: id, now: now))
        }
        return events
    }

    /// The `type` values and the status event each reports.
    static let statusTypes: [String: String] = [
        "delivered": DeliveryFeedback.messageDelivered, "opened": DeliveryFeedback.messageOpened,
        "clicked": DeliveryFeedback.messageClicked, "failed": DeliveryFeedback.messageFailed,
        "deferred": DeliveryFeedback.messageDeferred,
    ]

    private static func event(_ object: [String: JSONValue], index: Int, messageId: String, now: Date) throws(FeedbackWebhookError) -> Event {
        func text(_ key: String) throws(FeedbackWebhookError) -> String? {
            guard let value = object[key], value != .null else { return nil }
            guard let string = value.stringValue else { throw .invalidField(index: index, field: key, reason: "must be a string") }
            return string.isEmpty ? nil : string
        }
        func required(_ key: String) throws(FeedbackWebhookError) -> String {
            guard let value = try text(key) else { throw .invalidField(index: index, field: key, reason: "is required") }
            return value
        }
        let type = try required("type").lowercased()
        let user = try required("userId")
        let channelText = try text("channel") ?? "email"
        guard let channel = Channel(rawValue: channelText) else { throw .invalidField(index: index, field: "channel", reason: "is not a channel") }
        var timestamp = now
        if let stamp = try text("timestamp") {
            guard let parsed = ISO8601.parse(stamp) else { throw .invalidField(index: index, field: "timestamp", reason: "is not ISO 8601") }
            timestamp = parsed
        }
        var properties: [String: JSONValue] = ["channel": .string(channel.rawValue)]
        if let key = try text("messageId") { properties["messageId"] = .string(key) }
        if let reason = try text("reason") { properties["reason"] = .string(reason) }
        if let provider = try text("provider") { properties["provider"] = .string(provider) }
        let name: String
        switch type {
        case "bounce":
            let address = try required("address")
            let bounceType = try required("bounceType").lowercased()
            guard ["hard", "soft", "permanent", "transient"].contains(bounceType) else {
                throw .invalidField(index: index, field: "bounceType", reason: "must be hard or soft")
            }
            switch channel {
            case .email:
                name = FeedbackEvents.emailBounced
                properties["email"] = .string(address)
                properties["bounceType"] = .string(bounceType)
            case .sms where bounceType == "hard" || bounceType == "permanent":
                name = FeedbackEvents.smsNumberInvalid
                properties["phone"] = .string(address)
            case .sms:
                name = DeliveryFeedback.messageDeferred
                guard properties["messageId"] != nil else { throw .invalidField(index: index, field: "messageId", reason: "is required for a soft sms bounce") }
            default:
                throw .invalidField(index: index, field: "channel", reason: "bounces are email or sms")
            }
        case "complaint":
            guard channel == .email else { throw .invalidField(index: index, field: "channel", reason: "complaints are email") }
            name = FeedbackEvents.emailComplained
            properties["email"] = .string(try required("address"))
        default:
            guard let status = statusTypes[type] else {
                throw .invalidField(index: index, field: "type", reason: "must be bounce, complaint, delivered, opened, clicked, failed or deferred")
            }
            guard properties["messageId"] != nil else { throw .invalidField(index: index, field: "messageId", reason: "is required") }
            name = status
            if type == "clicked", let url = try text("url") { properties["url"] = .string(url) }
        }
        return Event(
            type: .track, messageId: messageId, userId: user, event: name, properties: properties, timestamp: timestamp,
            context: ["source": .string(FeedbackWebhook.source)])
    }
}
