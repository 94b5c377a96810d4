/// Why a `bestTime` wait chose its hour.
public enum SendTimeBasis: String, Sendable, Hashable, CaseIterable {
    /// The user's most frequent engagement hour that comes round within the bound.
    case learned
    /// Fewer opens and clicks than `minimumEngagements`: the fallback time.
    case tooLittleHistory
    /// Enough history, but none of the user's engaged hours comes round within the bound: the fallback time.
    case noHourWithinBound
}
