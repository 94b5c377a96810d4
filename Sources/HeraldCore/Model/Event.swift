import Foundation

/// One producer message in the Segment spec shape: a `track` of something a user did, an
/// `identify` that sets traits on their profile, or a `page`, `screen`, `group` or `alias` call.
public struct Event: Sendable, Hashable {
    /// The message types Herald accepts: Segment's six.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Something the user did (`event` names it).
        case track
        /// Traits about the user.
        case identify
        /// A web page view (`name` optionally names the page).
        case page
        /// A mobile screen view (`name` optionally names the screen).
        case screen
        /// The user belongs to a group (`groupId`; `traits` are the group's, not the user's).
        case group
        /// `previousId` and `userId` are the same person.
        case alias
    }

    /// The message type.
    public var type: Kind
    /// The producer's unique id for this message; duplicates are dropped.
    public var messageId: String
    /// The known user, if any.
    public var userId: String?
    /// The anonymous visitor, when there is no `userId`.
    public var anonymousId: String?
    /// The action's name, for `track`.
    public var event: String?
    /// The action's properties, for `track`.
    public var properties: [String: JSONValue]
    /// The user's traits, for `identify` (the group's, for `group`).
    public var traits: [String: JSONValue]
    /// The page's or screen's name, for `page` and `screen`.
    public var name: String?
    /// The group, for `group`.
    public var groupId: String?
    /// The identity being merged into `userId`, for `alias`.
    public var previousId: String?
    /// When the action happened, according to the producer.
    public var timestamp: Date
    /// The producer's context (locale, time zone, device …), kept as given.
    public var context: [String: JSONValue]
    /// When Herald's ingest stream received it (the XADD time), set by the ingestor.
    public var receivedAt: Date?

    /// Creates an event.
    public init(
        type: Kind, messageId: String, userId: String? = nil, anonymousId: String? = nil, event: String? = nil,
        properties: [String: JSONValue] = [:], traits: [String: JSONValue] = [:], timestamp: Date,
        context: [String: JSONValue] = [:], receivedAt: Date? = nil, name: String? = nil, groupId: String? = nil,
        previousId: String? = nil
    ) {
        self.type = type
        self.messageId = messageId
        self.userId = userId
        self.anonymousId = anonymousId
        self.event = event
        self.properties = properties
        self.traits = traits
        self.timestamp = timestamp
        self.context = context
        self.receivedAt = receivedAt
        self.name = name
        self.groupId = groupId
        self.previousId = previousId
    }

    /// The identity Herald keys everything by: the `userId`, else `anon:` and the `anonymousId`.
    public var userKey: String {
        if let userId { return userId }
        return "anon:" + (anonymousId ?? "")
    }

    /// The event as a JSON object in the Segment shape (timestamps in UTC with milliseconds).
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "type": .string(type.rawValue),
            "messageId": .string(messageId),
            "timestamp": .string(ISO8601.format(timestamp)),
        ]
        if let userId { members["userId"] = .string(userId) }
        if let anonymousId { members["anonymousId"] = .string(anonymousId) }
        if let event { members["event"] = .string(event) }
        if let name { members["name"] = .string(name) }
        if let groupId { members["groupId"] = .string(groupId) }
        if let previousId { members["previousId"] = .string(previousId) }
        if !properties.isEmpty || type == .track { members["properties"] = .object(properties) }
        if !traits.isEmpty || type == .identify { members["traits"] = .object(traits) }
        if !context.isEmpty { members["context"] = .object(context) }
        if let receivedAt { members["receivedAt"] = .string(ISO8601.format(receivedAt)) }
        return .object(members)
    }
}
