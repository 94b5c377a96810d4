/// A stored state blob that cannot be read.
public enum UserJourneyStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not JSON.
    case notJSON(String)
    /// A member is missing or has the wrong type.
    case invalid(path: String, expected: String)

    /// A message naming the member.
    public var description: String {
        switch self {
        case .notJSON(let detail): return "journey state is not JSON: \(detail)"
        case .invalid(let path, let expected): return "journey state member \(path) should be \(expected)"
        }
    }
}
