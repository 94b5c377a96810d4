/// Assigns each instance to a group by a stable hash of its id and the step id; percentages sum to 100.
public struct SplitStep: Sendable, Hashable, Codable {
    /// The groups.
    public var groups: [SplitGroup]

    /// Creates a split.
    public init(groups: [SplitGroup]) {
        self.groups = groups
    }
}
