/// One group's line of an experiment report.
public struct ExperimentGroupResult: Sendable, Hashable {
    /// The counters.
    public var counts: ExperimentGroupCounts
    /// `converted / entered`; `nil` before anyone entered.
    public var conversionRate: Double?
    /// The rate's 95 % Wilson interval.
    public var interval: ProportionInterval?
    /// Against the holdout; `nil` for a holdout group itself.
    public var lift: ExperimentLift?

    /// Creates a result.
    public init(counts: ExperimentGroupCounts, conversionRate: Double?, interval: ProportionInterval?, lift: ExperimentLift?) {
        self.counts = counts
        self.conversionRate = conversionRate
        self.interval = interval
        self.lift = lift
    }
}
