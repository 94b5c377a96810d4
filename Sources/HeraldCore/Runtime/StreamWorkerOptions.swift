import Foundation

/// How a `StreamWorker` reads, reclaims and gives up.
public struct StreamWorkerOptions: Sendable {
    /// The consumer group.
    public var group: String
    /// This consumer's name, unique per process (see `ProcessIdentity`).
    public var consumer: String
    /// Entries per read.
    public var batchSize: Int
    /// How long one read blocks waiting for entries; keep it well under the socket timeout.
    public var blockMilliseconds: Int
    /// Entries idle this long at any consumer (a crashed one, or a failed attempt) are claimed.
    public var claimMinIdleMilliseconds: Int
    /// How often to look for such entries.
    public var claimInterval: Duration
    /// Deliveries after which an entry goes to the dead-letter stream.
    public var maxDeliveries: Int
    /// Where entries that failed too often go: dead-letter shard 0.
    public var deadLetter: RedisKey
    /// Every dead-letter shard (`Keyspace.allDeadLetterStreams`); an entry's dead letter goes to the
    /// shard of its stream (`Keyspace.fleetShard(ofStream:shards:)`). Just `deadLetter` by default.
    public var deadLetterShards: [RedisKey]
    /// When a stream joins the set (a partition lease was acquired), claim every entry pending at
    /// other consumers of it before reading new ones, so a handed-over partition continues in order.
    public var claimAllOnAcquire: Bool = false
    /// Other consumers idle this long with nothing pending are removed from the group (killed or
    /// scaled-away replicas); `HERALD_CONSUMER_EXPIRY_MS`, one hour by default.
    public var consumerExpiryMilliseconds: Int = 3_600_000
    /// Entries one `XTRIM` call of an acknowledged prefix removes at most (its `LIMIT`); the worker
    /// repeats the call until nothing is left to trim, up to `trimCallsPerRound` calls per stream
    /// each claim interval, so a stream is trimmed as fast as it is consumed up to
    /// `trimLimit × trimCallsPerRound` entries per claim interval (10 000 × 100 per 5 s by default).
    public var trimLimit: Int = 10_000
    /// Most `XTRIM` calls per stream and claim round (see `trimLimit`).
    public var trimCallsPerRound: Int = 100
    /// The most entries the dead-letter stream keeps (`HERALD_DEAD_LETTER_MAX`, default 100 000).
    public var deadLetterMaxLength: Int = 100_000
    /// The oldest dead letter kept, in milliseconds (`HERALD_DEAD_LETTER_MAX_AGE_MS`, default 30 days).
    public var deadLetterMaxAgeMilliseconds: Int64 = 30 * 86_400_000
    /// The dead-letter stream's bounds (shard 0's; each shard has the same).
    public var deadLetterRetention: StreamRetention {
        StreamRetention(stream: deadLetter, maxLength: deadLetterMaxLength, maxAgeMilliseconds: deadLetterMaxAgeMilliseconds)
    }
    /// The bounds of every dead-letter shard.
    public var deadLetterRetentions: [StreamRetention] { deadLetterShards.map(deadLetterRetention.on) }
    /// The dead-letter shard, with its bounds, for an entry read from `stream`.
    public func deadLetterRetention(forStream stream: RedisKey) -> StreamRetention {
        guard deadLetterShards.count > 1 else { return deadLetterRetention }
        return deadLetterRetention.on(deadLetterShards[Keyspace.fleetShard(ofStream: stream, shards: deadLetterShards.count)])
    }
    /// Replicas every master a batch wrote to must have confirmed (`WAIT`) before the batch is
    /// acknowledged (`HERALD_REPLICA_ACKS`, default 0: acknowledge once the master applied it).
    /// Redis replicates asynchronously, so a failover can lose a master's last writes; with 1, a
    /// batch whose effects did not reach a replica stays pending and is handled again (its effects
    /// are idempotent), so a failover loses nothing a worker acknowledged.
    public var replicaAcks: Int = 0
    /// How long one `WAIT` for `replicaAcks` may take (`HERALD_REPLICA_ACK_TIMEOUT_MS`, default 1 000).
    public var replicaAckTimeoutMilliseconds: Int = 1000
    /// Other unconsumed streams this worker keeps bounded each claim round (the ingestor's rejected stream).
    public var retainedStreams: [StreamRetention] = []

    /// Creates options; defaults suit production and `fromEnvironment` lets tests shorten them.
    public init(
        group: String, consumer: String, batchSize: Int = 256, blockMilliseconds: Int = 1000,
        claimMinIdleMilliseconds: Int = 30_000, claimInterval: Duration = .seconds(5), maxDeliveries: Int = 5,
        deadLetter: RedisKey
    ) {
        self.group = group
        self.consumer = consumer
        self.batchSize = batchSize
        self.blockMilliseconds = blockMilliseconds
        self.claimMinIdleMilliseconds = claimMinIdleMilliseconds
        self.claimInterval = claimInterval
        self.maxDeliveries = maxDeliveries
        self.deadLetter = deadLetter
        self.deadLetterShards = [deadLetter]
    }

    /// Applies `HERALD_BATCH_SIZE`, `HERALD_BLOCK_MS`, `HERALD_CLAIM_IDLE_MS`, `HERALD_CLAIM_INTERVAL_MS`,
    /// `HERALD_MAX_DELIVERIES`, `HERALD_CONSUMER_EXPIRY_MS`, `HERALD_TRIM_LIMIT`, `HERALD_DEAD_LETTER_MAX`
    /// `HERALD_DEAD_LETTER_MAX_AGE_MS`, `HERALD_REPLICA_ACKS` and `HERALD_REPLICA_ACK_TIMEOUT_MS` when
    /// set; a value outside the range the variable table gives is an error naming the variable.
    public func applyingEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FleetConfigurationError) -> StreamWorkerOptions {
        var copy = self
        func read(_ name: String) throws(FleetConfigurationError) -> Int? { try FleetConfiguration.integer(name, in: environment) }
        if let value = try read("HERALD_BATCH_SIZE") { copy.batchSize = value }
        if let value = try read("HERALD_BLOCK_MS") { copy.blockMilliseconds = value }
        if let value = try read("HERALD_CLAIM_IDLE_MS") { copy.claimMinIdleMilliseconds = value }
        if let value = try read("HERALD_CLAIM_INTERVAL_MS") { copy.claimInterval = .milliseconds(value) }
        if let value = try read("HERALD_MAX_DELIVERIES") { copy.maxDeliveries = value }
        if let value = try read("HERALD_CONSUMER_EXPIRY_MS") { copy.consumerExpiryMilliseconds = value }
        if let value = try read("HERALD_TRIM_LIMIT") { copy.trimLimit = value }
        if let value = try read("HERALD_DEAD_LETTER_MAX") { copy.deadLetterMaxLength = value }
        if let value = try read("HERALD_DEAD_LETTER_MAX_AGE_MS") { copy.deadLetterMaxAgeMilliseconds = Int64(value) }
        if let value = try read("HERALD_REPLICA_ACKS") { copy.replicaAcks = value }
        if let value = try read("HERALD_REPLICA_ACK_TIMEOUT_MS") { copy.replicaAckTimeoutMilliseconds = value }
        return copy
    }
}
