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
    /// Where entries that failed too often go.
    public var deadLetter: RedisKey
    /// When a stream joins the set (a partition lease was acquired), claim every entry pending at
    /// other consumers of it before reading new ones, so a handed-over partition continues in order.
    public var claimAllOnAcquire: Bool = false
    /// Other consumers idle this long with nothing pending are removed from the group (killed or
    /// scaled-away replicas); `HERALD_CONSUMER_EXPIRY_MS`, one hour by default.
    public var consumerExpiryMilliseconds: Int = 3_600_000

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
    }

    /// Applies `HERALD_BATCH_SIZE`, `HERALD_BLOCK_MS`, `HERALD_CLAIM_IDLE_MS`, `HERALD_CLAIM_INTERVAL_MS`,
    /// `HERALD_MAX_DELIVERIES` and `HERALD_CONSUMER_EXPIRY_MS` when set.
    public func applyingEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> StreamWorkerOptions {
        var copy = self
        if let value = environment["HERALD_BATCH_SIZE"].flatMap(Int.init), value > 0 { copy.batchSize = value }
        if let value = environment["HERALD_BLOCK_MS"].flatMap(Int.init), value > 0 { copy.blockMilliseconds = value }
        if let value = environment["HERALD_CLAIM_IDLE_MS"].flatMap(Int.init), value > 0 { copy.claimMinIdleMilliseconds = value }
        if let value = environment["HERALD_CLAIM_INTERVAL_MS"].flatMap(Int.init), value > 0 { copy.claimInterval = .milliseconds(value) }
        if let value = environment["HERALD_MAX_DELIVERIES"].flatMap(Int.init), value > 0 { copy.maxDeliveries = value }
        if let value = environment["HERALD_CONSUMER_EXPIRY_MS"].flatMap(Int.init), value > 0 { copy.consumerExpiryMilliseconds = value }
        return copy
    }
}
