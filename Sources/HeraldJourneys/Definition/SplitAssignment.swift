/// How a split step picks a user's group.
public enum SplitAssignment: String, Sendable, Hashable, Codable, CaseIterable {
    /// The group is a function of the user, the journey id and the split step's id: the same on
    /// every entry and every version that keeps the step id, so a holdout stays held out. The default.
    case perUser
    /// The group is drawn per instance (from its id, which includes the entry's trigger and the
    /// journey version), so the same user may land in another group on the next entry.
    case perEntry
}
