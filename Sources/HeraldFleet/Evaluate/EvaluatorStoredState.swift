/// A user's journey state key as stored (`Keyspace.journeyState`), not yet decoded.
public enum EvaluatorStoredState: Sendable, Hashable {
    /// No key: the user has no journey state yet.
    case none
    /// The encoded state (`UserJourneyState.encoded()`).
    case encoded([UInt8])
    /// The key cannot be read (another type, an error reply); the reason.
    case unreadable(String)
}
