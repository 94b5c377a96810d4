/// A delivery decision and the configuration problems met on the way to it.
public struct DeliveryVerdict: Sendable, Hashable {
    /// The decision.
    public var decision: DeliveryDecision
    /// Time zones that were configured but unusable (log them; the decision used a fallback).
    public var warnings: [ZoneWarning]

    /// Creates a verdict.
    public init(decision: DeliveryDecision, warnings: [ZoneWarning] = []) {
        self.decision = decision
        self.warnings = warnings
    }
}
