/// A variant's conversion rate against the holdout's.
public struct ExperimentLift: Sendable, Hashable {
    /// The variant's rate minus the holdout's, as a fraction (0.05 is 5 percentage points).
    public var difference: Double?
    /// The 95 % interval of `difference`.
    public var interval: ProportionInterval?
    /// `difference` relative to the holdout's rate (0.5 is 50 % more); `nil` when the holdout converted nobody.
    public var relative: Double?
    /// What it says.
    public var verdict: ExperimentVerdict

    /// Creates a lift.
    public init(difference: Double?, interval: ProportionInterval?, relative: Double?, verdict: ExperimentVerdict) {
        self.difference = difference
        self.interval = interval
        self.relative = relative
        self.verdict = verdict
    }
}
