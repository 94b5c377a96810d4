/// Why a provider did not accept a message, classified for the retry policy.
public enum ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Worth trying again later: a timeout, a connection error, 429 or 5xx. `retryAfterSeconds`
    /// carries the provider's Retry-After when it sent one.
    case retryable(reason: String, retryAfterSeconds: Double? = nil)
    /// Will fail the same way again: other 4xx, a rejected payload, bad credentials.
    case permanent(reason: String)
    /// The address is wrong or gone (hard bounce, unregistered device token): suppress it.
    case invalidRecipient(reason: String)

    /// Whether the pipeline should schedule another attempt.
    public var isRetryable: Bool {
        if case .retryable = self { return true }
        return false
    }

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .retryable(let reason, let retryAfter):
            return "retryable: \(reason)" + (retryAfter.map { " (retry after \($0)s)" } ?? "")
        case .permanent(let reason): return "permanent: \(reason)"
        case .invalidRecipient(let reason): return "invalid recipient: \(reason)"
        }
    }
}
