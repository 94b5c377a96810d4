/// The Lua scripts Herald runs, loaded once from HeraldCore's resources.
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
    /// One identity's data snapshotted, tombstoned and kept for its handover to another's
    /// partition, fenced and idempotent (`handover.lua`).
    public static let handover = RedisScript.bundled("handover")
    /// Partition lease acquire/renew/release with a fencing token (`lease.lua`).
    public static let lease = RedisScript.bundled("lease")
    /// A consumer out of its group, only while it holds nothing and is idle (`remove-consumer.lua`).
    public static let removeConsumer = RedisScript.bundled("remove-consumer")
}
