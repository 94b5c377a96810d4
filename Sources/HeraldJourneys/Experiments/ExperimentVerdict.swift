/// What a variant's lift against the holdout says.
public enum ExperimentVerdict: String, Sendable, Hashable, CaseIterable {
    /// The whole 95 % interval of the difference is above zero.
    case better
    /// The whole 95 % interval of the difference is below zero.
    case worse
    /// The interval includes zero: no clear difference yet.
    case inconclusive
    /// The variant or the holdout has fewer users than the report's minimum: too few to tell.
    case tooFewUsers
    /// The split has no holdout group to compare with.
    case noHoldout

    /// The verdict in words.
    public var words: String {
        switch self {
        case .better: return "better than the holdout"
        case .worse: return "worse than the holdout"
        case .inconclusive: return "no clear difference"
        case .tooFewUsers: return "too few users to tell"
        case .noHoldout: return "no holdout to compare with"
        }
    }
}
