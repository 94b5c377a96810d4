/// Why `HERALD_UNCERTAIN_SENDS` could not be read.
public enum UncertainSendPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A part is not `category=policy` with policy `resend` or `park`.
    case invalidPart(String)
    /// A category other than `transactional` or `marketing`.
    case unknownCategory(String)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .invalidPart(let part): return "'\(part)' is not category=resend|park"
        case .unknownCategory(let category): return "unknown message category '\(category)' (transactional or marketing)"
        }
    }
}
