import HeraldJourneys

/// Why journeys could not be published.
public enum JourneyPublishError: Error, Sendable, CustomStringConvertible {
    /// Files failed validation; nothing was stored.
    case invalid([JourneyValidationIssue])

    /// Every issue on its own line.
    public var description: String {
        switch self {
        case .invalid(let issues):
            return "journeys not published; fix these first:\n" + issues.map { "  \($0)" }.joined(separator: "\n")
        }
    }
}
