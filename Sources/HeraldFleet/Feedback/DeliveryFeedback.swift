import Foundation
import HeraldCore
import HeraldDelivery

/// What one feedback event changes, decided purely from the event: suppression updates, a status
/// for the delivery it reports on (counted per channel and recorded in `herald:deliveries`), and a
/// push token to drop from the profile. Event names and properties are documented in
/// `docs/delivery.md` ("Feedback").
public struct DeliveryFeedback: Sendable, Hashable {
    /// `Message Delivered` — the provider handed the message over.
    public static let messageDelivered = "Message Delivered"
    /// `Message Opened` — the recipient opened it.
    public static let messageOpened = "Message Opened"
    /// `Message Clicked` — the recipient clicked a link.
    public static let messageClicked = "Message Clicked"
    /// `Message Failed` — the provider gave up after accepting it.
    public static let messageFailed = "Message Failed"
    /// `Message Deferred` — the provider is still trying (e.g. a greylisting receiver).
    public static let messageDeferred = "Message Deferred"

    /// The status each delivery status event reports.
    public static let statusEvents: [String: DeliveryStatus] = [
        messageDelivered: .delivered, messageOpened: .opened, messageClicked: .clicked,
        messageFailed: .failed, messageDeferred: .deferred,
    ]

    /// Every event name that is feedback (suppression events and status events).
    public static let names: Set<String> = FeedbackEvents.names.union(statusEvents.keys)

    /// The feedback the evaluator applies only from Herald's own `feedback` entries, never from a
    /// producer's `event`: everything a provider reports (bounces, complaints, dead tokens and
    /// numbers, delivery statuses). Only the user-intent events are accepted from producers.
    public static let heraldOnlyNames: Set<String> = names.subtracting(FeedbackEvents.producerNames)

    /// The `context.source` prefix of feedback events a Herald sender emits after a provider
    /// refused an address; the sender has already recorded and counted that delivery.
    public static let senderSourcePrefix = FeedbackEvents.senderSourcePrefix

    /// Changes to the user's suppression record, in order.
    public var suppressionUpdates: [SuppressionUpdate] = []
    /// The delivery status this event reports, if any.
    public var status: DeliveryStatus?
    /// The channel the status is counted on.
    public var channel: Channel?
    /// The message it is about: the idempotency key, or the provider's message id.
    public var messageId: String?
    /// The provider's reason, when it gave one.
    public var reason: String?
    /// A device token to remove from the profile's `pushTokens`.
    public var removedPushToken: String?

    /// Creates an empty plan.
    public init() {}

    /// The plan for `event`; `nil` when it is not a feedback event. Throws when a feedback event
    /// lacks what it needs (the event still goes to journeys; only its feedback is not applied).
    public static func plan(for event: Event) throws(FeedbackEventError) -> DeliveryFeedback? {
        guard event.type == .track, let name = event.event, names.contains(name) else { return nil }
        let properties = event.properties
        var plan = DeliveryFeedback()
        plan.suppressionUpdates = try FeedbackEvents.suppressionUpdates(for: event)
        plan.messageId = (properties["messageId"] ?? properties["providerMessageId"])?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        plan.reason = properties["reason"]?.stringValue
        if let status = statusEvents[name] {
            guard let text = properties["channel"]?.stringValue else { throw .missingProperty(event: name, property: "channel") }
            guard let channel = Channel(rawValue: text) else { throw .invalidProperty(event: name, property: "channel", value: text) }
            guard plan.messageId != nil else { throw .missingProperty(event: name, property: "messageId") }
            plan.status = status
            plan.channel = channel
        }
        switch name {
        case FeedbackEvents.emailBounced where !plan.suppressionUpdates.isEmpty:
            plan.status = .bounced
            plan.channel = .email
        case FeedbackEvents.emailBounced:
            // A soft bounce: the provider keeps trying.
            plan.status = .deferred
            plan.channel = .email
        case FeedbackEvents.pushTokenUnregistered:
            plan.status = .bounced
            plan.channel = .push
            plan.removedPushToken = properties["token"]?.stringValue
        case FeedbackEvents.smsNumberInvalid:
            plan.status = .bounced
            plan.channel = .sms
        default:
            break
        }
        if event.context["source"]?.stringValue?.hasPrefix(senderSourcePrefix) == true {
            // The sender recorded this bounce already: apply the suppression, don't count it twice.
            plan.status = nil
            plan.channel = nil
        }
        return plan
    }

    /// The profile's `pushTokens` without `token`; `nil` when the token is not there.
    public static func pushTokens(_ tokens: JSONValue?, removing token: String) -> JSONValue? {
        guard let list = tokens?.arrayValue else { return nil }
        let kept = list.filter { $0.stringValue != token }
        return kept.count == list.count ? nil : .array(kept)
    }
}
