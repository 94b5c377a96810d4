import HeraldCore
import HeraldDelivery
import HeraldJourneys

extension InMemoryEvaluatorStore {
    /// Everything the store holds, by user where Redis keys it by user (a user's partition is
    /// fixed by their key, so the user alone names their keys). Every property can be set up
    /// before a batch and read after it.
    public struct Contents: Sendable {
        /// The published journeys (`herald:journeys`).
        public var catalog = JourneyCatalog(journeys: [])
        /// Their revision (`herald:journeys:revision`).
        public var revision: Int64 = 0
        /// Each partition's lease value (`{pN}:lease`): a write carrying another is fenced.
        public var leases: [Int: String] = [:]
        /// Each partition's applied inputs (`{pN}:applied`): entry id → the entry's time in ms.
        public var applied: [Int: [String: Int64]] = [:]
        /// Journey states as stored (`Keyspace.journeyState`); `.unreadable` stands for a corrupt key.
        public var states: [String: EvaluatorStoredState] = [:]
        /// Profiles (`Keyspace.profile`).
        public var profiles: [String: [String: JSONValue]] = [:]
        /// Profiles that cannot be read (a key of another type), with the reason.
        public var unreadableProfiles: [String: String] = [:]
        /// Each user's list memberships (`Keyspace.memberships`): list → joined at (ms).
        public var memberships: [String: [String: Int64]] = [:]
        /// Each list's members (`Keyspace.listMembers`): user → joined at (ms).
        public var listMembers: [String: [String: Int64]] = [:]
        /// Merge tombstones (`Keyspace.mergedInto`): identity → the user it was merged into.
        public var mergedInto: [String: String] = [:]
        /// Suppression records (`Keyspace.suppression`); a missing one is empty.
        public var suppressions: [String: EvaluatorStoredSuppression] = [:]
        /// Suppressions kept through erasures (`Keyspace.erasedSuppression`): address hash → `channel|category|reason` → since.
        public var erasedSuppressions: [String: [String: String]] = [:]
        /// Send requests put on the outboxes (`Keyspace.outbox`), in order.
        public var sends: [SendRequest] = []
        /// Scheduled timers (`Keyspace.timers`, `Keyspace.timerPayloads`) by id.
        public var timers: [String: JourneyTimer] = [:]
        /// Journey counters (`Keyspace.journeyStats`): journey → `step:counter` → value.
        public var journeyStats: [String: [String: Double]] = [:]
        /// Experiment counters (`Keyspace.experimentStats`): journey → `group:counter` → value.
        public var experimentStats: [String: [String: Double]] = [:]
        /// Feedback status counters (`Keyspace.deliveryStats`): partition → `channel:status` → count.
        public var deliveryStats: [Int: [String: Double]] = [:]
        /// Trail entries (`Keyspace.trailLog`), newest first, each one input's records.
        public var trails: [String: [[TrailRecord]]] = [:]
        /// Last activity in ms (`Keyspace.activity`).
        public var activity: [String: Int64] = [:]
        /// Taken handovers' snapshots waiting for delivery (`Keyspace.handover`), by merge id.
        public var handovers: [String: IdentitySnapshot] = [:]
        /// Snapshots delivered to their targets' partitions (`merge` inputs), in order.
        public var deliveredMerges: [IdentitySnapshot] = []
        /// Inputs of merged identities forwarded to their targets, in order.
        public var forwarded: [EvaluatorForward] = []
        /// Entry-throttle logs (`Keyspace.entryThrottle`) by journey.
        public var throttles: [String: EntryThrottleLog] = [:]
        /// Feedback status records appended (`Keyspace.deliveries(forPartition:)`), in order.
        public var statusRecords: [EvaluatorStatusRecord] = []
        /// Erasure records (`herald:erasures`), in order.
        public var erasureRecords: [EvaluatorErasureRecord] = []
        /// How many times the scheduler was woken (`Keyspace.schedulerWakeup`).
        public var wakeups = 0
        /// How many write batches were applied (`apply` calls that wrote something).
        public var applyCalls = 0

        /// An empty store.
        public init() {}
    }
}
