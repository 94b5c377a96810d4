import HeraldCore

/// Numbered lanes that replicas share by lease: their count, each lane's lease and fencing keys
/// (one hash tag per lane), and the sorted set where replicas announce themselves.
public struct LeaseSet: Sendable {
    /// How many lanes there are.
    public var count: Int
    /// Where replicas announce themselves.
    public var members: RedisKey
    /// Lane N's lease key.
    public var lease: @Sendable (Int) -> RedisKey
    /// Lane N's fencing counter, in the lease's slot.
    public var fence: @Sendable (Int) -> RedisKey

    /// Evaluator partitions (`{pN}:lease`, `{pN}:fence`, `herald:evaluators`).
    public static func partitions(_ keyspace: Keyspace) -> LeaseSet {
        LeaseSet(count: keyspace.partitions, members: keyspace.evaluators, lease: keyspace.lease, fence: keyspace.fence)
    }

    /// Ingest shards (`{iN}:ingest-lease`, `{iN}:ingest-fence`, `herald:ingestors`).
    public static func ingestShards(_ keyspace: Keyspace) -> LeaseSet {
        LeaseSet(count: keyspace.ingestShards, members: keyspace.ingestors, lease: keyspace.ingestLease, fence: keyspace.ingestFence)
    }
}
