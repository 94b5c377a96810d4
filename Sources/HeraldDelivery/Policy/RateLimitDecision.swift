import Foundation

/// Whether a provider call fits under the provider's rate now, and if not, when it does.
public enum RateLimitDecision: Sendable, Hashable {
    /// Go ahead now; the limiter's theoretical arrival time becomes `newTAT`.
    case allowed(newTAT: Date)
    /// Not now: the limiter has reserved the slot at `slot` for this call (its TAT advanced by one
    /// emission interval, as for an allowed call), so the call goes at `slot` without asking again.
    case reserved(slot: Date)
}

extension RateLimitDecision {
    /// Reads `rate-limit-acquire.lua`'s reply: `{1, new_tat_ms}` or `{0, slot_ms}`.
    public init?(reply: [Int64]) {
        guard reply.count == 2 else { return nil }
        switch reply[0] {
        case 1: self = .allowed(newTAT: Date(timeIntervalSince1970: Double(reply[1]) / 1000))
        case 0: self = .reserved(slot: Date(timeIntervalSince1970: Double(reply[1]) / 1000))
        default: return nil
        }
    }
}
