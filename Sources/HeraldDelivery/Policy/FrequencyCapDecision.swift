import Foundation

/// Whether a marketing message fits under the frequency caps.
public enum FrequencyCapDecision: Sendable, Hashable {
    /// It fits (or caps do not apply to it).
    case allowed
    /// It would exceed `cap`; a slot frees at `until`.
    case capped(until: Date, cap: FrequencyCap)
}
