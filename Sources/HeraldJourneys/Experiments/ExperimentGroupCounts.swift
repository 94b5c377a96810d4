/// One split group's counters, summed over the fleet's partitions.
public struct ExperimentGroupCounts: Sendable, Hashable {
    /// The group's name (`vars.split`).
    public var name: String
    /// Whether it is a holdout group (exits at the split, sends nothing, still converts).
    public var holdout: Bool
    /// Instances assigned to it.
    public var entered: Int
    /// Send requests of those instances.
    public var sent: Int
    /// Those instances that reached the goal (while live or through their conversion watch).
    public var converted: Int
    /// Revenue of those conversions.
    public var revenue: Double

    /// Creates the counts.
    public init(name: String, holdout: Bool, entered: Int = 0, sent: Int = 0, converted: Int = 0, revenue: Double = 0) {
        self.name = name
        self.holdout = holdout
        self.entered = entered
        self.sent = sent
        self.converted = converted
        self.revenue = revenue
    }
}
