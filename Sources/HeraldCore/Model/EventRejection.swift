/// Why the ingestor refused a producer payload. The payload is kept verbatim with this reason.
public enum EventRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload is larger than the limit.
    case tooLarge(bytes: Int, limit: Int)
    /// The payload is not valid JSON.
    case notJSON(String)
    /// The payload is JSON but not an object.
    case notAnObject
    /// A required member is absent.
    case missingField(String)
    /// A member has the wrong type or value.
    case invalidField(String, String)
    /// `type` is not one of Segment's six (`track`, `identify`, `page`, `screen`, `group`, `alias`).
    case unknownType(String)
    /// Neither `userId` nor `anonymousId` is set.
    case missingIdentity
    /// A `track` message without `event`.
    case trackWithoutEvent
    /// `timestamp` is not an ISO 8601 date-time.
    case badTimestamp(String)
    /// The stream entry has no `event` field at all.
    case missingPayload

    /// A stable machine-readable code for dashboards and tests.
    public var code: String {
        switch self {
        case .tooLarge: return "too_large"
        case .notJSON: return "not_json"
        case .notAnObject: return "not_an_object"
        case .missingField: return "missing_field"
        case .invalidField: return "invalid_field"
        case .unknownType: return "unknown_type"
        case .missingIdentity: return "missing_identity"
        case .trackWithoutEvent: return "track_without_event"
        case .badTimestamp: return "bad_timestamp"
        case .missingPayload: return "missing_payload"
        }
    }

    /// A sentence a producer can act on.
    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit): return "payload is \(bytes) bytes; the limit is \(limit)"
        case .notJSON(let detail): return "payload is not JSON: \(detail)"
        case .notAnObject: return "payload must be a JSON object"
        case .missingField(let field): return "missing required field '\(field)'"
        case .invalidField(let field, let problem): return "field '\(field)' \(problem)"
        case .unknownType(let type): return "unknown type '\(type)'; expected one of " + Event.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        case .missingIdentity: return "one of userId or anonymousId is required"
        case .trackWithoutEvent: return "a track message needs an 'event' name"
        case .badTimestamp(let text): return "timestamp '\(text)' is not ISO 8601 (e.g. 2026-11-27T09:00:00Z)"
        case .missingPayload: return "stream entry has no 'event' field"
        }
    }
}
