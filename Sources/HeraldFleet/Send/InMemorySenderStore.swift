import Foundation
import HeraldCore
import HeraldDelivery
import Synchronization

/// A `SenderStore` in memory, with the semantics of `RedisSenderStore` and its scripts, for tests
/// of `SenderHandler` without a redis-server: idempotency claims, releases and replays decided by
/// `IdempotencyPolicy` (the definition the scripts follow), markers that expire after their
/// `PX`, frequency-cap windows decided by `FrequencyCapPolicy` (a member already in the window keeps
/// its slot), suppression records stored as bytes (so an unreadable one can be stored), and every
/// record kept in order for the test to read. The shared rate limit is `RateLimiter`'s pure GCRA.
public final class InMemorySenderStore: SenderStore {
    /// A stored idempotency marker and when it expires.
    struct StoredMarker: Sendable {
        var value: String
        var expiresAt: Date
    }

    struct State: Sendable {
        var profiles: [String: [String: JSONValue]] = [:]
        var suppressions: [String: [UInt8]] = [:]
        var erased: [String: [(field: String, since: String)]] = [:]
        var markers: [String: StoredMarker] = [:]
        var capWindows: [String: [String: Date]] = [:]
        var records: [SenderOutcomeRecord] = []
        var rateLimits: [String: Date] = [:]
        var schedulerWakes = 0
        var calls: [String] = []
    }

    private let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    // MARK: Arranging

    /// Stores a user's profile traits (`herald:{pN}:profile:<user>`).
    public func setProfile(_ traits: [String: JSONValue], user: String) {
        state.withLock { $0.profiles[user] = traits }
    }

    /// Stores a user's suppression record (`herald:{pN}:suppression:<user>`) as the evaluator does.
    public func setSuppression(_ record: SuppressionRecord, user: String) {
        state.withLock { $0.suppressions[user] = Array(record.json.serialized().utf8) }
    }

    /// Stores raw bytes as a user's suppression record, readable or not.
    public func setStoredSuppression(_ bytes: [UInt8], user: String) {
        state.withLock { $0.suppressions[user] = bytes }
    }

    /// Stores the suppressions that survived an erasure for an address hash
    /// (`herald:suppressed:<addressHash>`): fields `<channel>|<category or all>|<reason>`.
    public func setErasedSuppression(_ fields: [(field: String, since: String)], addressHash: String) {
        state.withLock { $0.erased[addressHash] = fields }
    }

    /// Stores `value` in an idempotency key for `retention`, as `SET … PX` would.
    public func setMarker(_ value: String, partition: Int, idempotencyKey: String, retention: TimeInterval, now: Date = Date()) {
        state.withLock { $0.markers[Self.key(partition, idempotencyKey)] = StoredMarker(value: value, expiresAt: now.addingTimeInterval(retention)) }
    }

    // MARK: Reading

    /// What an idempotency key holds at `now`; `nil` when absent or expired.
    public func marker(partition: Int, idempotencyKey: String, now: Date = Date()) -> String? {
        state.withLock { Self.live($0.markers[Self.key(partition, idempotencyKey)], now: now) }
    }

    /// Every record written, in order.
    public var records: [SenderOutcomeRecord] {
        state.withLock { $0.records }
    }

    /// The members of a user's cap window on a channel, with when each took its slot.
    public func capWindow(partition: Int, user: String, channel: Channel) -> [String: Date] {
        state.withLock { $0.capWindows[Self.capKey(partition, user, channel)] ?? [:] }
    }

    /// How many record batches asked to wake the scheduler.
    public var schedulerWakes: Int {
        state.withLock { $0.schedulerWakes }
    }

    /// The store's methods in the order they were called: one per round trip `RedisSenderStore`
    /// would make (`load`, `loadErasedSuppressions`, `claim`, `takeCapSlots`, `acquireRateLimit`, `record`).
    public var calls: [String] {
        state.withLock { $0.calls }
    }

    /// An operator's replay of a parked send (`idempotency-replay.lua`): clears the key if it is
    /// parked (`unknown:`) and says whether it did.
    public func replay(partition: Int, idempotencyKey: String, now: Date = Date()) -> Bool {
        state.withLock { state in
            let key = Self.key(partition, idempotencyKey)
            guard IdempotencyPolicy.replay(existing: Self.live(state.markers[key], now: now)) else { return false }
            state.markers[key] = nil
            return true
        }
    }

    // MARK: SenderStore

    /// Each user's profile and stored suppression record.
    public func load(_ users: [SenderUser]) async throws -> [SenderUserSnapshot] {
        state.withLock { state in
            state.calls.append("load")
            return users.map { SenderUserSnapshot(profile: state.profiles[$0.userId] ?? [:], suppression: state.suppressions[$0.userId]) }
        }
    }

    /// The stored fields of each address hash.
    public func loadErasedSuppressions(_ addressHashes: [String]) async throws -> [[(field: String, since: String)]] {
        state.withLock { state in
            state.calls.append("loadErasedSuppressions")
            return addressHashes.map { state.erased[$0] ?? [] }
        }
    }

    /// Each claim decided and written by `IdempotencyPolicy.claim`, one key after another.
    public func claim(_ claims: [SenderClaim], consumer: String, policy: IdempotencyPolicy, now: Date) async throws -> [IdempotencyClaimDecision] {
        state.withLock { state in
            state.calls.append("claim")
            return claims.map { claim in
                let key = Self.key(claim.partition, claim.idempotencyKey)
                let outcome = policy.claim(
                    existing: Self.live(state.markers[key], now: now), consumer: consumer, attempt: claim.attempt, category: claim.category, now: now)
                if let write = outcome.write { state.markers[key] = Self.stored(write, now: now) }
                return outcome.decision
            }
        }
    }

    /// Each slot decided by `FrequencyCapPolicy.decide` over the window's members, and taken if allowed.
    public func takeCapSlots(_ slots: [SenderCapSlot], caps: FrequencyCapPolicy, now: Date) async throws -> [FrequencyCapDecision] {
        state.withLock { state in
            state.calls.append("takeCapSlots")
            // Whole milliseconds, as the script stores a send's score.
            let at = Date(unixMilliseconds: IdempotencyMarker.milliseconds(now))
            return slots.map { slot in
                guard slot.category == .marketing, let longest = caps.longestWindow(for: slot.channel) else { return .allowed }
                let key = Self.capKey(slot.partition, slot.userId, slot.channel)
                var window = state.capWindows[key] ?? [:]
                if window[slot.member] != nil { return .allowed }
                window = window.filter { $0.value > at.addingTimeInterval(-longest) }
                let decision = caps.decide(channel: slot.channel, category: slot.category, previousSends: Array(window.values), now: at)
                if decision == .allowed { window[slot.member] = at }
                state.capWindows[key] = window
                return decision
            }
        }
    }

    /// Each call decided by the limiter's pure GCRA (`RateLimiter.decide`) on the clock, as the
    /// script decides on the Redis server's.
    public func acquireRateLimit(_ rateLimit: ChannelRateLimit, count: Int) async throws -> [RateLimitDecision] {
        state.withLock { state in
            state.calls.append("acquireRateLimit")
            return (0..<count).map { _ in
                let now = Date(), tat = state.rateLimits[rateLimit.key.rawValue]
                state.rateLimits[rateLimit.key.rawValue] = rateLimit.limiter.advanced(tat: tat, now: now)
                return rateLimit.limiter.decide(tat: tat, now: now)
            }
        }
    }

    /// Applies each record's key change and cap release, and keeps the record.
    public func record(_ records: [SenderOutcomeRecord], wakeScheduler: Bool) async throws {
        if records.isEmpty && !wakeScheduler { return }
        state.withLock { state in
            state.calls.append("record")
            for record in records {
                let key = Self.key(record.partition, record.request.idempotencyKey)
                switch record.keyChange {
                case .write(let write)?:
                    state.markers[key] = Self.stored(write, now: record.at)
                case .release(let consumer)?:
                    if IdempotencyPolicy.release(existing: Self.live(state.markers[key], now: record.at), consumer: consumer) { state.markers[key] = nil }
                case nil:
                    break
                }
                if let (rateLimit, retryAfter) = record.rateLimitPenalty {
                    let tat = state.rateLimits[rateLimit.key.rawValue]
                    state.rateLimits[rateLimit.key.rawValue] = rateLimit.limiter.penalize(tat: tat, retryAfter: retryAfter, now: Date())
                }
                if record.releasesCapSlot {
                    state.capWindows[Self.capKey(record.partition, record.request.userId, record.request.channel)]?[record.request.idempotencyKey] = nil
                }
                state.records.append(record)
            }
            if wakeScheduler { state.schedulerWakes += 1 }
        }
    }

    // MARK: Keys

    private static func key(_ partition: Int, _ idempotencyKey: String) -> String {
        "\(partition)|\(idempotencyKey)"
    }

    private static func capKey(_ partition: Int, _ user: String, _ channel: Channel) -> String {
        "\(partition)|\(user)|\(channel.rawValue)"
    }

    private static func live(_ marker: StoredMarker?, now: Date) -> String? {
        guard let marker, marker.expiresAt > now else { return nil }
        return marker.value
    }

    private static func stored(_ write: IdempotencyWrite, now: Date) -> StoredMarker {
        StoredMarker(value: write.marker.encoded, expiresAt: now.addingTimeInterval(Double(write.retentionMilliseconds) / 1000))
    }
}
