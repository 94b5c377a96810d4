/// A confidence interval of a proportion or of a difference of proportions.
public struct ProportionInterval: Sendable, Hashable {
    /// The lower bound.
    public var low: Double
    /// The upper bound.
    public var high: Double

    /// Creates an interval.
    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    /// Whether `value` lies inside it (bounds included).
    public func contains(_ value: Double) -> Bool { low <= value && value <= high }
}
