/// "`count` times within `within`": the trigger fires on the occurrence that completes the count.
public struct TriggerFrequency: Sendable, Hashable, Codable {
    /// How many matching events are needed.
    public var count: Int
    /// The window they must fall in.
    public var within: JourneyDuration

    /// Creates a frequency rule.
    public init(count: Int, within: JourneyDuration) {
        self.count = count
        self.within = within
    }
}
