import Foundation
import HeraldCore
import HeraldDelivery

/// What a channel's sender loads, claims and records, batch by batch: the storage seam between
/// `SenderHandler`'s logic and Redis, in the manner of a vapor/queues or swift-jobs driver.
///
/// Every method takes a whole batch and is one round trip for it (`RedisSenderStore` pipelines
/// it), so a batch costs the same number of round trips as before the seam: load, erased
/// suppressions, claims (plus one for contested keys), cap slots, the rate limit, and the
/// records. `RedisSenderStore` is the fleet's store; `InMemorySenderStore` has the same semantics
/// for tests of the handler without a redis-server.
///
/// Keys, as `Keyspace` names them (`{pN}` is the user's partition):
/// - `herald:{pN}:profile:<user>` (hash of traits) and `herald:{pN}:suppression:<user>` (a
///   `SuppressionRecord` as JSON), read by `load`;
/// - `herald:suppressed:<addressHash>` (`Keyspace.erasedSuppression`), read by `loadErasedSuppressions`;
/// - `herald:{pN}:sent:<idempotencyKey>`, an `IdempotencyMarker`, claimed by `claim`, marked sent
///   or given back by `record`;
/// - `herald:{pN}:caps:<user>:<channel>`, a sorted set of capped sends, taken by `takeCapSlots`
///   and given back by `record`;
/// - the channel's rate-limit key (`ChannelRateLimit.key`), used by `acquireRateLimit`;
/// - `herald:{pN}:timers` and `herald:{pN}:timer-payloads` (deferrals and retries),
///   `herald:{pN}:trail-log:<user>`, `herald:{pN}:delivery-stats`, `herald:deliveries`
///   (`Keyspace.deliveries(forPartition:)`), `herald:dead-letter` (`Keyspace.deadLetter(forStream:)`
///   of the outbox) and `herald:{pN}:events` (bounce feedback), written by `record`.
public protocol SenderStore: Sendable {
    /// Each user's profile and stored suppression record, in the order of `users`.
    func load(_ users: [SenderUser]) async throws -> [SenderUserSnapshot]

    /// The suppressions that survived an erasure, for each address hash (`AddressHash.of`), in
    /// order: the hash's fields as stored, `<channel>|<category or all>|<reason>` and the ISO 8601
    /// time it began.
    func loadErasedSuppressions(_ addressHashes: [String]) async throws -> [[(field: String, since: String)]]

    /// Claims each idempotency key for `consumer` as `policy` decides (`IdempotencyPolicy.claim`),
    /// atomically per key; one decision per claim, in order.
    func claim(_ claims: [SenderClaim], consumer: String, policy: IdempotencyPolicy, now: Date) async throws -> [IdempotencyClaimDecision]

    /// Takes a cap slot for each send under `caps` (`frequency-cap-check.lua`'s semantics: a
    /// member already in the window keeps its slot); one decision per slot, in order.
    func takeCapSlots(_ slots: [SenderCapSlot], caps: FrequencyCapPolicy, now: Date) async throws -> [FrequencyCapDecision]

    /// Asks the shared rate limit `count` times; one decision per ask.
    func acquireRateLimit(_ rateLimit: ChannelRateLimit, count: Int) async throws -> [RateLimitDecision]

    /// Writes every record until the store takes them; `wakeScheduler` when one of them is due
    /// within `TimerScheduler.wakeHorizon`. Throws only for an error retrying cannot fix.
    func record(_ records: [SenderOutcomeRecord], wakeScheduler: Bool) async throws
}
