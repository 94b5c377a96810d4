import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys
import Synchronization

/// Evaluates each partition input (`PartitionInput`: an accepted event, Herald's own feedback, a
/// fired timer or a refresh) against the published journeys and applies its effects: the pure
/// `JourneyEngine` decides, and one fenced, idempotent write per input (`EvaluatorStore.apply`:
/// `apply-effects.lua` in Redis) stores the new state, timers, send requests, trail, stats and feedback.
///
/// A batch goes through named phases: parse → skip the inputs applied before → load the users →
/// evaluate → apply → outcomes. All storage goes through an `EvaluatorStore`, one round trip per
/// phase: `RedisEvaluatorStore` in the fleet, `InMemoryEvaluatorStore` in tests.
public final class EvaluatorHandler: StreamBatchHandler {
    let keyspace: Keyspace
    let ownedLeases: @Sendable () -> [Int: String]
    let metrics: Metrics
    let logger: Logger
    let catalog = Mutex<(revision: Int64, catalog: JourneyCatalog, checkedAt: ContinuousClock.Instant?)>((-1, JourneyCatalog(journeys: []), nil))
    let refreshInterval: Duration
    let partitionsByStream: [RedisKey: Int]
    let feedback: FeedbackWriter
    let deliveries: DeliveryLogRetention

    let trailRetention: TrailRetention
    let appliedRetention: AppliedInputRetention

    /// Trail entries (one per input, and one per send outcome) kept per user by default (`TrailRetention`).
    public static let trailLength = TrailRetention.standard.maxLength

    /// Creates a handler whose partitions are the ones `leases` holds.
    public convenience init(
        keyspace: Keyspace, leases: PartitionLeases, metrics: Metrics, logger: Logger, refreshInterval: Duration = .seconds(1),
        trailRetention: TrailRetention = .standard, appliedRetention: AppliedInputRetention = .standard,
        deliveries: DeliveryLogRetention = .standard
    ) {
        self.init(
            keyspace: keyspace, ownedLeases: { leases.owned }, metrics: metrics, logger: logger, refreshInterval: refreshInterval,
            trailRetention: trailRetention, appliedRetention: appliedRetention, deliveries: deliveries)
    }

    /// Creates a handler whose partitions, with the lease value each write is fenced by, are the
    /// ones `ownedLeases` returns at each batch (a test's fixed leases; `PartitionLeases.owned`).
    public init(
        keyspace: Keyspace, ownedLeases: @escaping @Sendable () -> [Int: String], metrics: Metrics, logger: Logger,
        refreshInterval: Duration = .seconds(1), trailRetention: TrailRetention = .standard,
        appliedRetention: AppliedInputRetention = .standard, deliveries: DeliveryLogRetention = .standard
    ) {
        self.trailRetention = trailRetention
        self.appliedRetention = appliedRetention
        self.keyspace = keyspace
        self.ownedLeases = ownedLeases
        self.metrics = metrics
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.partitionsByStream = Dictionary(uniqueKeysWithValues: keyspace.allPartitions.map { (keyspace.events($0), $0) })
        self.feedback = FeedbackWriter(keyspace: keyspace, logger: logger, metrics: metrics, deliveries: deliveries)
        self.deliveries = deliveries
    }

    /// Handles a batch against Redis: `handle(_:store:)` with a `RedisEvaluatorStore` on `connection`.
    public func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
        try await handle(entries, store: redisStore(connection))
    }

    /// The Redis store this handler's batches use on `connection`.
    func redisStore(_ connection: RedisConnection) -> RedisEvaluatorStore {
        RedisEvaluatorStore(
            connection: connection, keyspace: keyspace, metrics: metrics, logger: logger, trailRetention: trailRetention,
            appliedRetention: appliedRetention, deliveries: deliveries)
    }

    /// Evaluates a batch in stream order and applies each input's effects with one round trip.
    ///
    /// Stored data that cannot be read is never replaced by a default: an input whose user's journey
    /// state or profile cannot be read, or whose feedback would change an unreadable suppression
    /// record, is dead-lettered with a reason naming the user and partition, and the stored bytes
    /// stay as they are. Dead-letter rather than retry: corrupt data does not heal by itself, so a
    /// retry would only delay the same verdict by `HERALD_MAX_DELIVERIES` claim timeouts and end with
    /// a reason that no longer says why. Each later input of that user meets the same check, so
    /// nothing is applied over the corrupt data until an operator repairs or deletes it and replays
    /// the dead-lettered entries (kept verbatim as `original.*`). Other users' inputs go on.
    public func handle(_ entries: [StreamEntry], store: some EvaluatorStore) async throws -> [EntryOutcome] {
        // A refresh follows a publish: it must see that publish, not a catalog up to a second old.
        let catalog = try await currentCatalog(store, force: entries.contains { PartitionInput.kind(of: $0) == .refresh })
        var outcomes = [EntryOutcome](repeating: .done, count: entries.count)
        let parsed = parseAll(entries, outcomes: &outcomes)
        if parsed.isEmpty { return outcomes }
        var (inputs, pendingHandovers) = try await skipApplied(parsed, store: store)
        if inputs.isEmpty {
            try await store.deliverHandovers(pendingHandovers)
            return outcomes
        }
        planFeedback(&inputs)
        var users = try await load(inputs, store: store)
        // One view of the leases for the whole batch; a lease lost meanwhile fences the write.
        let owned = ownedLeases()
        let now = Date()
        var plan = EvaluatorBatchPlan()
        for (position, input) in inputs {
            if let outcome = try await evaluate(
                input, leases: owned, now: now, catalog: catalog, users: &users, plan: &plan, position: position, store: store)
            {
                outcomes[position] = outcome
            }
        }
        if plan.writes.isEmpty && plan.forwards.isEmpty && pendingHandovers.isEmpty { return outcomes }
        try await apply(plan, pendingHandovers: pendingHandovers, inputs: inputs, store: store, outcomes: &outcomes)
        return outcomes
    }
}
