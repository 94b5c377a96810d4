/// A configuration variable that cannot be used.
public enum FleetConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variable holds something else than expected.
    case invalid(variable: String, value: String, expected: String)
    /// A required variable is unset.
    case missing(variable: String)
    /// A `HERALD_*` variable no Herald process reads (a typo, or a setting of another version),
    /// with the closest known name.
    case unknown(variable: String, suggestion: String?)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalid(let variable, let value, let expected): return "\(variable)=\(value) is invalid: expected \(expected)"
        case .missing(let variable): return "\(variable) must be set"
        case .unknown(let variable, let suggestion):
            let hint = suggestion.map { " (did you mean \($0)?)" } ?? ""
            return "\(variable) is not a Herald variable\(hint); docs/configuration.md lists every one"
        }
    }
}
