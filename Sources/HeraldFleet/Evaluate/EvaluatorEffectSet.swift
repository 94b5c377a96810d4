import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// The writes of one evaluated input, applied atomically (`apply-effects.lua` over the user's
/// partition's keys): the new journey state (`Keyspace.journeyState`), the engine's effects (sends
/// to `Keyspace.outbox`, timers in `Keyspace.timers`/`Keyspace.timerPayloads`, stats in
/// `Keyspace.journeyStats`/`Keyspace.experimentStats`, profile and list changes), an identity
/// merge's fold, feedback's writes and one trail entry (`Keyspace.trailLog`).
public struct EvaluatorEffectSet: Sendable {
    /// The user's partition.
    public var partition: Int
    /// The user.
    public var user: String
    /// The input's stream entry id, recorded as applied.
    public var entryID: String
    /// The partition lease's value this evaluator holds.
    public var leaseValue: String
    /// When the input was evaluated.
    public var now: Date
    /// How the stored journey state changes, if it does.
    public var state: StateChange?
    /// The engine's effects in order (`.trail` ones are carried by `trail` instead).
    public var effects: [JourneyEffect]
    /// The identity merge folded in, if this input is one that folds.
    public var fold: Fold?
    /// Feedback's writes, if the input carries feedback.
    public var feedback: FeedbackWrites?
    /// The input's trail entry (all its decisions, in order); none when empty.
    public var trail: [TrailRecord]

    /// Creates an effect set.
    public init(
        partition: Int, user: String, entryID: String, leaseValue: String, now: Date, state: StateChange? = nil,
        effects: [JourneyEffect] = [], fold: Fold? = nil, feedback: FeedbackWrites? = nil, trail: [TrailRecord] = []
    ) {
        self.partition = partition
        self.user = user
        self.entryID = entryID
        self.leaseValue = leaseValue
        self.now = now
        self.state = state
        self.effects = effects
        self.fold = fold
        self.feedback = feedback
        self.trail = trail
    }

    /// A change of the stored journey state.
    public enum StateChange: Sendable, Hashable {
        /// Store this state.
        case store(UserJourneyState)
        /// Delete the key (the state became empty).
        case delete
    }

    /// Another identity's snapshot folded into the user: profile gaps filled, suppressions
    /// united (`suppression`, the record to store), caps, inbox and trail merged, activity kept.
    public struct Fold: Sendable {
        /// The snapshot handed over.
        public var snapshot: IdentitySnapshot
        /// The united suppression record, when the snapshot carried one.
        public var suppression: SuppressionRecord?

        /// Creates a fold.
        public init(snapshot: IdentitySnapshot, suppression: SuppressionRecord?) {
            self.snapshot = snapshot
            self.suppression = suppression
        }
    }

    /// What a feedback event writes: the changed suppression record, the profile's remaining
    /// push tokens, and one per-channel status count (`Keyspace.deliveryStats`).
    public struct FeedbackWrites: Sendable {
        /// The suppression record to store, when the feedback changed it.
        public var suppression: SuppressionRecord?
        /// The profile's `pushTokens` to store, when the feedback removed one.
        public var pushTokens: JSONValue?
        /// The channel and status to count, when the feedback reports a status.
        public var status: (channel: Channel, status: DeliveryStatus)?

        /// Creates feedback writes.
        public init(suppression: SuppressionRecord? = nil, pushTokens: JSONValue? = nil, status: (channel: Channel, status: DeliveryStatus)? = nil) {
            self.suppression = suppression
            self.pushTokens = pushTokens
            self.status = status
        }
    }
}
