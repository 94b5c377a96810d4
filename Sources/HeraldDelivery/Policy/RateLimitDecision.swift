import Foundation

/// Whether a provider call fits under the provider's rate.
public enum RateLimitDecision: Sendable, Hashable {
    /// Go ahead; the limiter's theoretical arrival time becomes `newTAT`.
    case allowed(newTAT: Date)
    /// Wait `retryAfter` seconds first; the state is unchanged.
    case limited(retryAfter: TimeInterval)
}

extension RateLimitDecision {
    /// Reads `DeliveryScripts.rateLimitAcquire`'s reply: `{1, new_tat_ms}` or `{0, retry_after_ms}`.
    public init?(reply: [Int64]) {
        guard reply.count == 2 else { return nil }
        switch reply[0] {
        case 1: self = .allowed(newTAT: Date(timeIntervalSince1970: Double(reply[1]) / 1000))
        case 0: self = .limited(retryAfter: Double(reply[1]) / 1000)
        default: return nil
        }
    }
}
