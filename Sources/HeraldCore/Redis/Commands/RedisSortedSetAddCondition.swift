/// When `ZADD` writes a member's score.
public enum RedisSortedSetAddCondition: Sendable, Hashable {
    /// Adds or updates.
    case always
    /// `NX`: adds new members only, never updates a score.
    case memberDoesNotExist
    /// `GT`: adds, or updates only to a greater score.
    case greaterScore
}
