import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// What the evaluator reads and writes per batch, in batch form: each call is one round trip (a
/// pipeline) for the whole batch, so the handler's logic stays apart from the storage it runs on.
/// `RedisEvaluatorStore` is the fleet's (the keys named below are `Keyspace`'s);
/// `InMemoryEvaluatorStore` keeps the same rules in memory for tests.
///
/// A call throws when the store itself fails (unreachable, a reply it cannot interpret): the
/// whole batch is then retried. Data that is stored but unreadable is reported, never thrown.
public protocol EvaluatorStore: Sendable {
    /// The published journeys' revision counter (`herald:journeys:revision`; 0 before any publish).
    func catalogRevision() async throws -> Int64

    /// Every published version of every journey (`herald:journeys`).
    func loadCatalog() async throws -> JourneyCatalog

    /// Which of `entries` (entry ids by partition) are in their partition's applied-input set
    /// (`{pN}:applied`, `ZMSCORE`): inputs applied before, whose effects are stored already.
    func appliedInputs(_ entries: [Int: [String]]) async throws -> Set<String>

    /// Each user's stored journey state (`Keyspace.journeyState`), profile (`Keyspace.profile`),
    /// list memberships (`Keyspace.memberships`) and merge tombstone (`Keyspace.mergedInto`);
    /// `users` maps each user to their partition.
    func load(_ users: [String: Int]) async throws -> [String: EvaluatorUserSnapshot]

    /// Each user's suppression record (`Keyspace.suppression`); a missing one is empty.
    func suppressions(_ users: [String: Int]) async throws -> [String: EvaluatorStoredSuppression]

    /// The slots of throttled entries (`Keyspace.entryThrottle`, `entry-throttle.lua`), by instance id.
    func reserveEntrySlots(_ requests: [EntrySlotRequest], now: Date) async throws -> [String: Date]

    /// Before the erasures' writes: keeps each erased user's suppressions per address
    /// (`Keyspace.erasedSuppression`), then deletes the fleet-wide streams' entries naming each
    /// user whose erasure still holds. Returns, per erasure in order, how many stream entries were
    /// deleted, or `nil` for an inactive user's erasure whose user is active again.
    func prepareErasures(_ erasures: [EvaluatorErasure]) async throws -> [Int?]

    /// Applies each write atomically, fenced by its partition lease and idempotent by its entry id
    /// (`apply-effects.lua`, `forget.lua`, `handover.lua`), in one pipeline; with `wakeScheduler`
    /// it also wakes the timer scheduler (`Keyspace.schedulerWakeup`). One result per write, in order.
    func apply(_ writes: [EvaluatorWrite], wakeScheduler: Bool) async throws -> [EvaluatorWriteResult]

    /// Appends an applied erasure's record to `herald:erasures`.
    func recordErasure(_ record: EvaluatorErasureRecord) async throws

    /// Delivers each taken handover's snapshot (`Keyspace.handover`) to its target's partition
    /// events stream, deduplicated by merge id, then deletes it (and its `Keyspace.handovers` entry).
    func deliverHandovers(_ pending: [EvaluatorPendingHandover]) async throws

    /// Writes each input of a merged identity to its target's partition events stream, deduplicated;
    /// returns, per input in order, why it was refused, or `nil` when written.
    func forward(_ inputs: [EvaluatorForward], now: Date) async throws -> [String?]

    /// Appends applied feedback's status records to their delivery-record shards (`Keyspace.deliveries(forPartition:)`).
    func appendStatusRecords(_ records: [EvaluatorStatusRecord]) async throws
}
