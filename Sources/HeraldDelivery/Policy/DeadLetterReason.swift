/// Why a request went to the dead-letter stream instead of being retried.
public enum DeadLetterReason: Sendable, Hashable, CustomStringConvertible {
    /// The provider said it will fail the same way again.
    case permanent(String)
    /// The address is wrong or gone (also a suppression: see `FeedbackEvents.suppressionUpdate`).
    case invalidRecipient(String)
    /// Every allowed attempt failed; `lastError` is the final one.
    case attemptsExhausted(attempts: Int, lastError: String)
    /// The provider asked to wait longer than the policy's `maxRetryAfter`.
    case retryAfterTooLong(seconds: Double, limit: Double)

    /// A stable code for dashboards.
    public var code: String {
        switch self {
        case .permanent: return "permanent"
        case .invalidRecipient: return "invalid_recipient"
        case .attemptsExhausted: return "attempts_exhausted"
        case .retryAfterTooLong: return "retry_after_too_long"
        }
    }

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .permanent(let reason): return "permanent failure: \(reason)"
        case .invalidRecipient(let reason): return "invalid recipient: \(reason)"
        case .attemptsExhausted(let attempts, let lastError): return "gave up after \(attempts) attempts; last: \(lastError)"
        case .retryAfterTooLong(let seconds, let limit): return "provider asked to retry after \(seconds)s (limit \(limit)s)"
        }
    }
}
