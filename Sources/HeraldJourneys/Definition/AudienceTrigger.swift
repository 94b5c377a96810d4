/// Enters when the user's profile starts matching `where`: checked on every identify (and on the
/// refresh inputs a publish queues), so a user who already matches enters once, and again only
/// after they have stopped matching and then match anew.
public struct AudienceTrigger: Sendable, Hashable, Codable {
    /// The audience: a condition over `profile.*` (and `vars.*` is empty at entry).
    public var filter: JourneyCondition

    private enum CodingKeys: String, CodingKey {
        case filter = "where"
    }

    /// Creates an audience trigger.
    public init(filter: JourneyCondition) {
        self.filter = filter
    }
}
