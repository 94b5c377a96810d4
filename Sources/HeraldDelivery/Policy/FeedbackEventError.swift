/// A feedback event that cannot be turned into a suppression.
public enum FeedbackEventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The event lacks a property it needs.
    case missingProperty(event: String, property: String)
    /// A property has a value the event does not allow.
    case invalidProperty(event: String, property: String, value: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .missingProperty(let event, let property): return "'\(event)' needs property '\(property)'"
        case .invalidProperty(let event, let property, let value): return "'\(event)' has invalid \(property) '\(value)'"
        }
    }
}
