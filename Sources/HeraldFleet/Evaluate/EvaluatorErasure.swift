import HeraldCore
import HeraldDelivery

/// A user's erasure (`UserErasure`, `forget.lua`) and what must survive it: the user's suppressions,
/// kept per address (`Keyspace.erasedSuppression`), found with the profile's addresses.
public struct EvaluatorErasure: Sendable {
    /// The user's partition.
    public var partition: Int
    /// The user.
    public var user: String
    /// The request's stream entry id, recorded as applied.
    public var entryID: String
    /// The partition lease's value this evaluator holds.
    public var leaseValue: String
    /// For an inactive user's erasure (`InactivitySweep`), their last activity as found (ms):
    /// the erasure holds only while they have been active no later.
    public var inactiveSince: Int64?
    /// The lists the user is a member of (`Keyspace.memberships`), left in the partition.
    public var lists: [String]
    /// The user's suppression record, kept per address.
    public var suppressions: SuppressionRecord
    /// The user's profile, whose addresses key suppressions that name none.
    public var profile: [String: JSONValue]

    /// Creates an erasure.
    public init(
        partition: Int, user: String, entryID: String, leaseValue: String, inactiveSince: Int64?, lists: [String],
        suppressions: SuppressionRecord, profile: [String: JSONValue]
    ) {
        self.partition = partition
        self.user = user
        self.entryID = entryID
        self.leaseValue = leaseValue
        self.inactiveSince = inactiveSince
        self.lists = lists
        self.suppressions = suppressions
        self.profile = profile
    }
}
