import Foundation

/// What to do with a request whose delivery attempt failed.
public enum RetryDecision: Sendable, Hashable {
    /// Schedule it again at `at`, as attempt number `attempt` (the request's new `attempt` count).
    case retry(at: Date, attempt: Int)
    /// Give up and move it to the dead-letter stream.
    case deadLetter(DeadLetterReason)
}
