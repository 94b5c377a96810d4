import Foundation

/// What the sender does with one send request.
public enum DeliveryDecision: Sendable, Hashable {
    /// Send it now (for a capped channel, after `frequency-cap-check.lua` agrees).
    case send
    /// Do not send it; record it as suppressed with this reason.
    case suppress(SuppressionReason)
    /// Hold it and decide again at `until`.
    case deferred(until: Date, reason: DeferReason)
    /// Over `cap` with `CapOverflow.deferUntilFree`: hold it until the slot frees at `until`.
    case capped(until: Date, cap: FrequencyCap)
}
