import Foundation
import HeraldJourneys

/// The source side of an identity merge (`handover.lua`): snapshot `user`'s keys into
/// `Keyspace.handover` for `into`, tombstone the user (`Keyspace.mergedInto`) and move their timers.
public struct EvaluatorHandover: Sendable {
    /// The user's partition.
    public var partition: Int
    /// The identity handed over.
    public var user: String
    /// The user it is merged into.
    public var into: String
    /// The merge's id.
    public var mergeId: String
    /// The user's journey state, whose timers move with the snapshot.
    public var state: UserJourneyState
    /// The handover input's stream entry id, recorded as applied.
    public var entryID: String
    /// The partition lease's value this evaluator holds.
    public var leaseValue: String
    /// When.
    public var now: Date

    /// Creates a handover.
    public init(partition: Int, user: String, into: String, mergeId: String, state: UserJourneyState, entryID: String, leaseValue: String, now: Date) {
        self.partition = partition
        self.user = user
        self.into = into
        self.mergeId = mergeId
        self.state = state
        self.entryID = entryID
        self.leaseValue = leaseValue
        self.now = now
    }
}
