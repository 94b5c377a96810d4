import Foundation

extension Event {
    /// The largest payload the ingestor accepts, in bytes.
    public static let maximumPayloadBytes = 32 * 1024

    /// Validates one raw producer payload and returns the event it describes.
    ///
    /// Each way a payload can be wrong has its own `EventRejection`, so the reason stored beside the
    /// verbatim payload in `herald:rejected` tells the producer exactly what to fix. `receivedAt` is
    /// when Herald received it (the ingest entry's time); see `validate(members:receivedAt:)`.
    public static func validate(payload: [UInt8], receivedAt: Date? = nil) throws(EventRejection) -> Event {
        guard payload.count <= maximumPayloadBytes else {
            throw .tooLarge(bytes: payload.count, limit: maximumPayloadBytes)
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(payload)
        } catch {
            throw .notJSON(error.description)
        }
        guard case .object(let members) = document else { throw .notAnObject }
        return try validate(members: members, receivedAt: receivedAt)
    }

    /// Validates a parsed message object.
    ///
    /// The time is Segment's: `timestamp` is optional and defaults to when the message was received
    /// (the message's own `receivedAt`, which the edge sets, else `receivedAt`), and when `sentAt` is
    /// given the producer's clock skew is corrected, `timestamp = receivedAt − (sentAt −
    /// originalTimestamp)`, where `originalTimestamp` is the message's, else its `timestamp` (the
    /// device's clock). The result keeps `timestamp` (corrected) and `receivedAt` and drops
    /// `sentAt`, so validating `json` again gives the same event. Without a receive time a
    /// message needs its `timestamp` (or `originalTimestamp`).
    public static func validate(members: [String: JSONValue], receivedAt: Date? = nil) throws(EventRejection) -> Event {
        guard let typeValue = members["type"] else { throw .missingField("type") }
        guard let typeName = typeValue.stringValue, let type = Kind(rawValue: typeName) else {
            throw .unknownType(typeValue.displayText)
        }
        guard let messageId = members["messageId"]?.stringValue, !messageId.isEmpty else {
            throw members["messageId"] == nil ? .missingField("messageId") : .invalidField("messageId", "must be a non-empty string")
        }
        let userId = try optionalIdentifier(members["userId"], field: "userId")
        let anonymousId = try optionalIdentifier(members["anonymousId"], field: "anonymousId")
        guard userId != nil || anonymousId != nil else { throw .missingIdentity }

        var eventName: String?
        if type == .track {
            guard let name = members["event"] else { throw .trackWithoutEvent }
            guard let text = name.stringValue, !text.isEmpty else { throw .invalidField("event", "must be a non-empty string") }
            eventName = text
        }
        var name: String?
        if type == .page || type == .screen {
            name = try optionalIdentifier(members["name"], field: "name")
        }
        var groupId: String?
        if type == .group {
            guard let value = try optionalIdentifier(members["groupId"], field: "groupId") else { throw .missingField("groupId") }
            groupId = value
        }
        var previousId: String?
        if type == .alias {
            guard let value = try optionalIdentifier(members["previousId"], field: "previousId") else { throw .missingField("previousId") }
            previousId = value
        }
        let properties = try optionalObject(members["properties"], field: "properties")
        let traits = try optionalObject(members["traits"], field: "traits")
        let context = try optionalObject(members["context"], field: "context")

        let received = members["receivedAt"]?.stringValue.flatMap(ISO8601.parse) ?? receivedAt
        let timestamp = try time(members, receivedAt: received)
        return Event(
            type: type, messageId: messageId, userId: userId, anonymousId: anonymousId, event: eventName,
            properties: properties, traits: traits, timestamp: timestamp, context: context, receivedAt: received, name: name,
            groupId: groupId, previousId: previousId)
    }

    /// When the message happened, Segment's way (`validate(members:receivedAt:)`).
    private static func time(_ members: [String: JSONValue], receivedAt: Date?) throws(EventRejection) -> Date {
        func date(_ field: String) throws(EventRejection) -> Date? {
            switch members[field] {
            case nil, .null?: return nil
            case .string(let text)?:
                guard let date = ISO8601.parse(text) else { throw field == "timestamp" ? .badTimestamp(text) : .invalidField(field, "is not ISO 8601 with an offset") }
                return date
            case let value?:
                throw field == "timestamp" ? .badTimestamp(value.displayText) : .invalidField(field, "is not ISO 8601 with an offset")
            }
        }
        let timestamp = try date("timestamp")
        let original = try date("originalTimestamp")
        let sentAt = try date("sentAt")
        // The device's clock: its `originalTimestamp`, else the `timestamp` it sent with `sentAt`.
        if let receivedAt, let sentAt, let device = original ?? timestamp {
            return receivedAt.addingTimeInterval(-sentAt.timeIntervalSince(device))
        }
        if let stamp = timestamp ?? original ?? receivedAt { return stamp }
        throw .missingField("timestamp")
    }

    private static func optionalIdentifier(_ value: JSONValue?, field: String) throws(EventRejection) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?:
            guard !text.isEmpty else { return nil }
            guard text.utf8.count <= 256 else { throw .invalidField(field, "longer than 256 bytes") }
            return text
        case .number(let number)?:
            // Segment libraries send numeric ids from some languages; keep them as their decimal text.
            return JSONValue.format(number)
        default:
            throw .invalidField(field, "must be a string")
        }
    }

    private static func optionalObject(_ value: JSONValue?, field: String) throws(EventRejection) -> [String: JSONValue] {
        switch value {
        case nil, .null?: return [:]
        case .object(let members)?: return members
        default: throw .invalidField(field, "must be an object")
        }
    }
}
