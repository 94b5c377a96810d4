/// What a stream-worker process reads about its workers' reads, claims, dead letters and replica
/// acknowledgements, typed, with the table's defaults; `options(group:index:keyspace:defaultBatchSize:)`
/// gives each worker loop its `StreamWorkerOptions`.
public struct StreamWorkerSettings: Sendable, Hashable {
    /// Entries per read as set (`HERALD_BATCH_SIZE`); `nil`: the process's own default (the table
    /// documents 256, senders 128).
    public var batchSize: Int?
    /// How long one read waits (`HERALD_BLOCK_MS`).
    public var blockMilliseconds: Int
    /// Idle time after which another consumer claims an entry (`HERALD_CLAIM_IDLE_MS`).
    public var claimMinIdleMilliseconds: Int
    /// How often idle entries are claimed and consumed ones trimmed (`HERALD_CLAIM_INTERVAL_MS`).
    public var claimInterval: Duration
    /// Deliveries before an entry is dead-lettered (`HERALD_MAX_DELIVERIES`).
    public var maxDeliveries: Int
    /// Idle consumers with nothing pending are removed after this long (`HERALD_CONSUMER_EXPIRY_MS`).
    public var consumerExpiryMilliseconds: Int
    /// Entries one `XTRIM` of a consumed stream removes (`HERALD_TRIM_LIMIT`).
    public var trimLimit: Int
    /// Entries each dead-letter stream keeps (`HERALD_DEAD_LETTER_MAX`).
    public var deadLetterMaxLength: Int
    /// The oldest dead letter kept (`HERALD_DEAD_LETTER_MAX_AGE_MS`).
    public var deadLetterMaxAgeMilliseconds: Int64
    /// Replicas a batch's writes must reach before it is acknowledged (`HERALD_REPLICA_ACKS`).
    public var replicaAcks: Int
    /// How long one `WAIT` for them may take (`HERALD_REPLICA_ACK_TIMEOUT_MS`).
    public var replicaAckTimeoutMilliseconds: Int

    /// The table's defaults.
    public static var standard: StreamWorkerSettings {
        // The table's defaults are valid values, so reading an empty environment cannot fail.
        try! StreamWorkerSettings(reader: ConfigurationReader(environment: [:]))
    }

    /// Reads the eleven worker variables through `reader`; a bad value is an error naming it.
    public init(reader: ConfigurationReader) throws(FleetConfigurationError) {
        batchSize = try reader.integerIfSet("HERALD_BATCH_SIZE")
        blockMilliseconds = try reader.integer("HERALD_BLOCK_MS")
        claimMinIdleMilliseconds = try reader.integer("HERALD_CLAIM_IDLE_MS")
        claimInterval = try reader.duration("HERALD_CLAIM_INTERVAL_MS")
        maxDeliveries = try reader.integer("HERALD_MAX_DELIVERIES")
        consumerExpiryMilliseconds = try reader.integer("HERALD_CONSUMER_EXPIRY_MS")
        trimLimit = try reader.integer("HERALD_TRIM_LIMIT")
        deadLetterMaxLength = try reader.integer("HERALD_DEAD_LETTER_MAX")
        deadLetterMaxAgeMilliseconds = try reader.milliseconds("HERALD_DEAD_LETTER_MAX_AGE_MS")
        replicaAcks = try reader.integer("HERALD_REPLICA_ACKS")
        replicaAckTimeoutMilliseconds = try reader.integer("HERALD_REPLICA_ACK_TIMEOUT_MS")
    }

    /// The options of worker loop `index` reading for `group`, dead-lettering to `keyspace`'s shards;
    /// `defaultBatchSize` when `HERALD_BATCH_SIZE` is unset.
    public func options(group: String, index: Int, keyspace: Keyspace, defaultBatchSize: Int = 256) -> StreamWorkerOptions {
        var options = StreamWorkerOptions(
            group: group, consumer: ProcessIdentity.consumerName(index: index), batchSize: batchSize ?? defaultBatchSize,
            blockMilliseconds: blockMilliseconds, claimMinIdleMilliseconds: claimMinIdleMilliseconds, claimInterval: claimInterval,
            maxDeliveries: maxDeliveries, deadLetter: keyspace.deadLetter)
        options.deadLetterShards = keyspace.allDeadLetterStreams
        options.consumerExpiryMilliseconds = consumerExpiryMilliseconds
        options.trimLimit = trimLimit
        options.deadLetterMaxLength = deadLetterMaxLength
        options.deadLetterMaxAgeMilliseconds = deadLetterMaxAgeMilliseconds
        options.replicaAcks = replicaAcks
        options.replicaAckTimeoutMilliseconds = replicaAckTimeoutMilliseconds
        return options
    }
}
