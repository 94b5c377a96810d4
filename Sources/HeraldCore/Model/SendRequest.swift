import Foundation

/// A request for one message on one channel, put on the channel's stream by the evaluator and
/// carried out by that channel's sender.
public struct SendRequest: Sendable, Hashable {
    /// Unique per journey instance and step: a sender never calls a provider twice for one key.
    public var idempotencyKey: String
    /// The user the message is for.
    public var userId: String
    /// The journey that asked for it.
    public var journey: String
    /// The journey version the instance runs on.
    public var journeyVersion: Int
    /// The journey instance.
    public var instanceId: String
    /// The step that asked for it.
    public var step: String
    /// The channel to send on.
    public var channel: Channel
    /// The template name (a file under config/templates).
    public var template: String
    /// Marketing or transactional.
    public var category: MessageCategory
    /// What the template renders with: `event` (the trigger), `latest` (the latest event for the
    /// instance's key), `profile`, `vars`, plus anything else the step adds.
    public var context: [String: JSONValue]
    /// When the evaluator asked for it.
    public var requestedAt: Date
    /// Delivery attempts made so far (0 for a new request).
    public var attempt: Int

    /// Creates a send request.
    public init(
        idempotencyKey: String, userId: String, journey: String, journeyVersion: Int = 1, instanceId: String,
        step: String, channel: Channel, template: String, category: MessageCategory = .marketing,
        context: [String: JSONValue], requestedAt: Date, attempt: Int = 0
    ) {
        self.idempotencyKey = idempotencyKey
        self.userId = userId
        self.journey = journey
        self.journeyVersion = journeyVersion
        self.instanceId = instanceId
        self.step = step
        self.channel = channel
        self.template = template
        self.category = category
        self.context = context
        self.requestedAt = requestedAt
        self.attempt = attempt
    }

    /// The request as one JSON object (the `request` field of a channel stream entry).
    public var json: JSONValue {
        .object([
            "idempotencyKey": .string(idempotencyKey), "userId": .string(userId), "journey": .string(journey),
            "journeyVersion": .number(Double(journeyVersion)), "instanceId": .string(instanceId),
            "step": .string(step), "channel": .string(channel.rawValue), "template": .string(template),
            "category": .string(category.rawValue), "context": .object(context),
            "requestedAt": .string(ISO8601.format(requestedAt)), "attempt": .number(Double(attempt)),
        ])
    }

    /// Reads a request back from its JSON object; `nil` names the first missing or invalid member.
    public init(json: JSONValue) throws(SendRequestDecodingError) {
        func string(_ key: String) throws(SendRequestDecodingError) -> String {
            guard let value = json[key]?.stringValue else { throw .missing(key) }
            return value
        }
        guard let channel = Channel(rawValue: try string("channel")) else { throw .invalid("channel") }
        guard let category = MessageCategory(rawValue: try string("category")) else { throw .invalid("category") }
        guard let requestedAt = ISO8601.parse(try string("requestedAt")) else { throw .invalid("requestedAt") }
        self.init(
            idempotencyKey: try string("idempotencyKey"), userId: try string("userId"), journey: try string("journey"),
            journeyVersion: Int(json["journeyVersion"]?.numberValue ?? 1), instanceId: try string("instanceId"),
            step: try string("step"), channel: channel, template: try string("template"), category: category,
            context: json["context"]?.objectValue ?? [:], requestedAt: requestedAt,
            attempt: Int(json["attempt"]?.numberValue ?? 0))
    }
}
