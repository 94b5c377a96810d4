/// What happens to a marketing message over a frequency cap.
public enum CapOverflow: String, Sendable, Hashable, CaseIterable {
    /// Drop it and record it as `suppressed: frequency_cap` (what Braze and Customer.io do). Default.
    case dropAndRecord = "drop"
    /// Hold it until the cap's slot frees, then decide again.
    case deferUntilFree = "defer"
}
