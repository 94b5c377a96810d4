/// A partition events-stream entry that is not a usable `PartitionInput`.
public enum PartitionInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entry lacks `field` (`kind` is `nil` when the entry has no `kind` at all).
    case missingField(kind: PartitionInput.Kind?, field: String)
    /// `kind` is none of `event`, `feedback`, `timer`, `refresh`.
    case unknownKind(String)
    /// A JSON field does not parse.
    case notJSON(kind: PartitionInput.Kind, field: String, detail: String)
    /// A JSON field that must be an object is something else.
    case notAnObject(kind: PartitionInput.Kind, field: String)
    /// The event does not pass the producer contract's validation.
    case invalidEvent(kind: PartitionInput.Kind, EventRejection)

    /// A one-line explanation, used as the dead-letter reason.
    public var description: String {
        switch self {
        case .missingField(nil, let field): return "events-stream entry without '\(field)'"
        case .missingField(let kind?, let field): return "\(kind.rawValue) entry without '\(field)'"
        case .unknownKind(let kind): return "unknown input kind '\(kind)'"
        case .notJSON(let kind, let field, let detail): return "\(kind.rawValue) entry's '\(field)' is not JSON: \(detail)"
        case .notAnObject(let kind, let field): return "\(kind.rawValue) entry's '\(field)' is not a JSON object"
        case .invalidEvent(let kind, let rejection): return "invalid \(kind.rawValue): \(rejection)"
        }
    }
}
