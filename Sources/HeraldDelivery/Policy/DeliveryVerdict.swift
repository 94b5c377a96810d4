/// A delivery decision and the configuration problems met on the way to it.
public struct DeliveryVerdict: Sendable, Hashable {
    /// The decision.
    public var decision: DeliveryDecision
    /// Time zones that were configured but unusable (log them; the decision used a fallback).
    public var warnings: [ZoneWarning]
    /// The zone quiet hours judged the message in and why; `nil` when they did not apply (no
    /// quiet hours, a transactional message, or a journey that waives them).
    public var zone: ZoneChoice?
    /// Whether quiet hours would have applied but the request's journey waives them
    /// (`defaults.respectQuietHours: false`).
    public var quietHoursWaived: Bool

    /// Creates a verdict.
    public init(decision: DeliveryDecision, warnings: [ZoneWarning] = [], zone: ZoneChoice? = nil, quietHoursWaived: Bool = false) {
        self.decision = decision
        self.warnings = warnings
        self.zone = zone
        self.quietHoursWaived = quietHoursWaived
    }
}
