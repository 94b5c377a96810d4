/// A stored state blob that cannot be read.
public enum UserJourneyStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not JSON.
    case notJSON(String)
    /// The bytes start with the compact form's tag but are not a `CompactJSON` document.
    case notCompact(String)
    /// A member is missing or has the wrong type.
    case invalid(path: String, expected: String)

    /// A message naming the member.
    public var description: String {
        switch self {
        case .notJSON(let detail): return "journey state is not JSON: \(detail)"
        case .notCompact(let detail): return "journey state in the compact form cannot be read: \(detail)"
        case .invalid(let path, let expected): return "journey state member \(path) should be \(expected)"
        }
    }
}
