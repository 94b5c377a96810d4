/// Assigns each user (or, with `assignment: perEntry`, each instance) to a group by a stable hash;
/// percentages sum to 100.
public struct SplitStep: Sendable, Hashable, Codable {
    /// The groups.
    public var groups: [SplitGroup]
    /// `perUser` (default: stable across re-entries and versions) or `perEntry`.
    public var assignment: SplitAssignment?

    /// Creates a split.
    public init(groups: [SplitGroup], assignment: SplitAssignment? = nil) {
        self.groups = groups
        self.assignment = assignment
    }
}
