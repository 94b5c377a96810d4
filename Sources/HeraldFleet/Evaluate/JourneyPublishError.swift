import HeraldJourneys

/// Why journeys could not be published.
public enum JourneyPublishError: Error, Sendable, CustomStringConvertible {
    /// Files failed validation; nothing was stored.
    case invalid([JourneyValidationIssue])
    /// The stored latest version number of `journey` is not a number; publishing over it could
    /// overwrite a stored version, so nothing is published for it.
    case unreadableVersion(journey: String, stored: String)

    /// Every issue on its own line.
    public var description: String {
        switch self {
        case .invalid(let issues):
            return "journeys not published; fix these first:\n" + issues.map { "  \($0)" }.joined(separator: "\n")
        case .unreadableVersion(let journey, let stored):
            return "journey '\(journey)' not published: its stored latest version is '\(stored)', not a number"
        }
    }
}
