/// Every Lua script Herald runs, loaded once from HeraldCore's resources (`Sources/HeraldCore/Scripts`).
///
/// Each script's header comment declares its `KEYS`, `ARGV` and reply; every script names all its
/// keys in `KEYS` and never builds a key name, so it runs on Redis Cluster: the keys of one call
/// share a hash tag (the user's `{pN}`, or a provider's own tag for the rate limiter). Times are
/// integer milliseconds since 1970 passed in `ARGV`, so the caller's clock is the one that counts.
public enum HeraldScripts {
    /// Dedupe, profile update and partition append of one accepted event (`ingest.lua`).
    public static let ingest = RedisScript.bundled("ingest")
    /// Herald's own feedback from the edge onto its partition stream, deduped by messageId (`feedback.lua`).
    public static let feedback = RedisScript.bundled("feedback")
    /// Due timers into their partition's events stream (`fire-timers.lua`).
    public static let fireTimers = RedisScript.bundled("fire-timers")
    /// One evaluator input's effects, fenced by the partition lease and idempotent (`apply-effects.lua`).
    public static let applyEffects = RedisScript.bundled("apply-effects")
    /// One user erased from their partition, fenced and idempotent (`forget.lua`).
    public static let forget = RedisScript.bundled("forget")
    /// A throttled journey entry's slot, reserved in the journey's own key (`entry-throttle.lua`).
    public static let entryThrottle = RedisScript.bundled("entry-throttle")
    /// One identity's data snapshotted, tombstoned and kept for its handover to another's
    /// partition, fenced and idempotent (`handover.lua`).
    public static let handover = RedisScript.bundled("handover")
    /// Partition lease acquire/renew/release with a fencing token (`lease.lua`).
    public static let lease = RedisScript.bundled("lease")
    /// A consumer out of its group, only while it holds nothing and is idle (`remove-consumer.lua`).
    public static let removeConsumer = RedisScript.bundled("remove-consumer")
    /// A marketing send checked against its channel's caps and recorded if it fits (`frequency-cap-check.lua`).
    public static let frequencyCapCheck = RedisScript.bundled("frequency-cap-check")
    /// A recorded cap slot given back for a message that was never delivered (`frequency-cap-release.lua`).
    public static let frequencyCapRelease = RedisScript.bundled("frequency-cap-release")
    /// An idempotency key claimed before the provider is called (`idempotency-claim.lua`).
    public static let idempotencyClaim = RedisScript.bundled("idempotency-claim")
    /// A claim given up after a failed attempt (`idempotency-release.lua`).
    public static let idempotencyRelease = RedisScript.bundled("idempotency-release")
    /// A parked request put back on its channel stream once (`idempotency-replay.lua`).
    public static let idempotencyReplay = RedisScript.bundled("idempotency-replay")
    /// A provider's rate-limit slot taken, or the next free one reported (`rate-limit-acquire.lua`).
    public static let rateLimitAcquire = RedisScript.bundled("rate-limit-acquire")
    /// A provider's rate limit pushed back after it answered 429 (`rate-limit-penalize.lua`).
    public static let rateLimitPenalize = RedisScript.bundled("rate-limit-penalize")
    /// One in-app message added to the user's inbox once (`inbox-add.lua`).
    public static let inboxAdd = RedisScript.bundled("inbox-add")

    /// Every script, for checks that none is left out of this list or loaded from elsewhere.
    public static let all: [RedisScript] = [
        ingest, feedback, fireTimers, applyEffects, forget, entryThrottle, handover, lease, removeConsumer, frequencyCapCheck, frequencyCapRelease,
        idempotencyClaim, idempotencyRelease, idempotencyReplay, rateLimitAcquire, rateLimitPenalize, inboxAdd,
    ]
}
