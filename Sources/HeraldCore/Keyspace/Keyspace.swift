/// Every Redis key, stream and consumer-group name Herald uses, derived in one place.
///
/// Per-user data lives in one of `partitions` partitions; every key of partition N carries the
/// hash tag `{pN}`, so one partition's keys share a Redis Cluster slot and one script or
/// transaction may touch them together. The fleet-wide streams (`ingest`, `rejected`, `deliveries`,
/// `dead-letter`) each have `ingestShards` shards: shard 0 keeps the plain name (`herald:ingest`),
/// shard N ≥ 1 carries the tag `{iN}` (`herald:deliveries:{i2}`), so on a Redis Cluster no one of
/// them is a single hot slot. Producers write to an ingest shard by the user rule
/// (`ingestShard(ofUser:)`); what an ingest shard rejects goes to the rejected shard of the same
/// number, a partition's delivery records to shard `partition mod ingestShards`, and a stream's
/// dead letters to the shard of that stream's tag (`fleetShard(ofStream:)`).
public struct Keyspace: Sendable, Hashable {
    /// The prefix of every name (`herald`); tests use their own to stay apart.
    public var prefix: String
    /// The number of user partitions.
    public var partitions: Int
    /// The number of ingest streams producers spread users over (`HERALD_INGEST_SHARDS`).
    public var ingestShards: Int

    /// Creates a keyspace.
    public init(prefix: String = "herald", partitions: Int = 16, ingestShards: Int = 1) {
        precondition(partitions > 0, "a keyspace needs at least one partition")
        precondition(ingestShards > 0, "a keyspace needs at least one ingest shard")
        self.prefix = prefix
        self.partitions = partitions
        self.ingestShards = ingestShards
    }

    // MARK: Fleet-wide streams

    /// Where producers `XADD` raw events (field `event`): ingest shard 0, `herald:ingest`, the one
    /// stream of a fleet with a single shard.
    public var ingest: RedisKey { key("ingest") }
    /// Ingest shard `shard`: `herald:ingest` for shard 0, `herald:ingest:{iN}` for the others, so
    /// on a Redis Cluster each shard has a slot of its own.
    public func ingest(shard: Int) -> RedisKey { fleetStream("ingest", shard: shard) }
    /// Every ingest stream.
    public var allIngestStreams: [RedisKey] { (0..<ingestShards).map { ingest(shard: $0) } }
    /// The ingest shard a producer writes a user's events to: FNV-1a (32 bit) of the user key
    /// (`userId`, else `anon:` + `anonymousId`) modulo `ingestShards`. One user's events in one
    /// shard, in the order added, are evaluated in that order.
    public func ingestShard(ofUser userKey: String) -> Int { Int(Self.fnv1a(userKey) % UInt32(ingestShards)) }
    /// The ingest stream for a user's events.
    public func ingest(forUser userKey: String) -> RedisKey { ingest(shard: ingestShard(ofUser: userKey)) }
    /// The lease on an ingest shard: one ingestor reads a shard at a time, in order.
    public func ingestLease(_ shard: Int) -> RedisKey { key(ingestTag(shard) + ":ingest-lease") }
    /// The fencing counter of an ingest shard's lease.
    public func ingestFence(_ shard: Int) -> RedisKey { key(ingestTag(shard) + ":ingest-fence") }
    /// Ingestor replicas announce themselves here to share the shards (sorted set by heartbeat).
    public var ingestors: RedisKey { key("ingestors") }
    /// The hash tag of ingest shard `shard`: `{i3}`.
    public func ingestTag(_ shard: Int) -> String { "{i\(shard)}" }
    /// Rejected payloads, verbatim, with their reason: shard 0, `herald:rejected`.
    public var rejected: RedisKey { rejected(shard: 0) }
    /// Rejected-payload shard `shard`: `herald:rejected`, or `herald:rejected:{iN}` beside ingest shard N.
    public func rejected(shard: Int) -> RedisKey { fleetStream("rejected", shard: shard) }
    /// Where a payload read from `ingestStream` is kept when it is rejected.
    public func rejected(forStream ingestStream: RedisKey) -> RedisKey { rejected(shard: fleetShard(ofStream: ingestStream)) }
    /// Every rejected-payload shard.
    public var allRejectedStreams: [RedisKey] { (0..<ingestShards).map { rejected(shard: $0) } }
    /// One entry per send outcome: shard 0, `herald:deliveries`.
    public var deliveries: RedisKey { deliveries(shard: 0) }
    /// Delivery-record shard `shard`: `herald:deliveries` or `herald:deliveries:{iN}`.
    public func deliveries(shard: Int) -> RedisKey { fleetStream("deliveries", shard: shard) }
    /// Where the send outcomes of partition `partition` are recorded: shard `partition mod ingestShards`.
    public func deliveries(forPartition partition: Int) -> RedisKey { deliveries(shard: partition % ingestShards) }
    /// Every delivery-record shard.
    public var allDeliveryStreams: [RedisKey] { (0..<ingestShards).map { deliveries(shard: $0) } }
    /// Entries that failed too often, with their error and history: shard 0, `herald:dead-letter`.
    public var deadLetter: RedisKey { deadLetter(shard: 0) }
    /// Dead-letter shard `shard`: `herald:dead-letter` or `herald:dead-letter:{iN}`.
    public func deadLetter(shard: Int) -> RedisKey { fleetStream("dead-letter", shard: shard) }
    /// Where the dead letters of entries read from `stream` go.
    public func deadLetter(forStream stream: RedisKey) -> RedisKey { deadLetter(shard: fleetShard(ofStream: stream)) }
    /// Every dead-letter shard.
    public var allDeadLetterStreams: [RedisKey] { (0..<ingestShards).map { deadLetter(shard: $0) } }
    /// The fleet-wide shard that belongs to a stream: N mod `ingestShards` for a stream tagged `{pN}`
    /// or `{iN}`, 0 for a stream without such a tag.
    public func fleetShard(ofStream stream: RedisKey) -> Int {
        Self.fleetShard(ofStream: stream, shards: ingestShards)
    }
    /// `fleetShard(ofStream:)` for `shards` shards, for code that holds only the shard list.
    public static func fleetShard(ofStream stream: RedisKey, shards: Int) -> Int {
        let name = stream.rawValue
        guard shards > 1, let open = name.firstIndex(of: "{"),
              let close = name[open...].firstIndex(of: "}") else { return 0 }
        let tag = name[name.index(after: open)..<close]
        guard let kind = tag.first, kind == "p" || kind == "i", let number = Int(tag.dropFirst()), number >= 0 else { return 0 }
        return number % shards
    }
    /// Operators' dead-letter replays: which dead letter went back to which stream, when, by whom.
    public var replays: RedisKey { key("replays") }
    /// Published journey definitions (hash: `id` → latest version number, `id:vN` → JSON).
    public var journeys: RedisKey { key("journeys") }
    /// Bumped on every publish so evaluators notice new versions.
    public var journeysRevision: RedisKey { key("journeys:revision") }
    /// A list evaluators push to when they schedule a timer, so a sleeping scheduler wakes early.
    public var schedulerWakeup: RedisKey { key("scheduler:wakeup") }
    /// Evaluator replicas announce themselves here (sorted set of name by heartbeat time), so each
    /// can take its fair share of partitions.
    public var evaluators: RedisKey { key("evaluators") }

    // MARK: Consumer groups

    /// The ingestors' group on `ingest`.
    public var ingestGroup: String { "ingestors" }
    /// The evaluators' group on each partition's `events` stream.
    public var evaluatorGroup: String { "evaluators" }
    /// The senders' group on each partition's outbox for `channel`.
    public func senderGroup(_ channel: Channel) -> String { "senders-" + channel.rawValue }

    // MARK: Partitions

    /// The partition a user belongs to (FNV-1a of the user key).
    public func partition(ofUser userKey: String) -> Int { Int(Self.fnv1a(userKey) % UInt32(partitions)) }

    /// 32-bit FNV-1a of the UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }

    /// Every partition number.
    public var allPartitions: Range<Int> { 0..<partitions }

    /// The hash tag of partition `partition`: `{p3}`.
    public func tag(_ partition: Int) -> String { "{p\(partition)}" }

    /// The evaluator's input stream of a partition: accepted events and fired timers.
    public func events(_ partition: Int) -> RedisKey { key(tag(partition) + ":events") }
    /// The send requests of a partition for one channel.
    public func outbox(_ partition: Int, _ channel: Channel) -> RedisKey { key(tag(partition) + ":outbox:" + channel.rawValue) }
    /// Recently seen messageIds of a partition (sorted set by time, bounded).
    public func dedupe(_ partition: Int) -> RedisKey { key(tag(partition) + ":dedupe") }
    /// A user's profile: hash of trait → JSON value.
    public func profile(_ partition: Int, user: String) -> RedisKey { key(tag(partition) + ":profile:" + user) }
    /// A user's list memberships (hash: list name → Unix ms joined), written by `updateLists` steps.
    public func memberships(_ partition: Int, user: String) -> RedisKey { key(tag(partition) + ":memberships:" + user) }
    /// One list's members in one partition (sorted set: user key by Unix ms joined). A list is
    /// partitioned like its users: `heraldctl lists NAME` reads the list's key in every partition,
    /// and a step changes only keys of its user's partition, in the same script.
    public func listMembers(_ partition: Int, list: String) -> RedisKey { key(tag(partition) + ":list:" + list) }
    /// A user's journey state (one encoded blob).
    public func journeyState(_ partition: Int, user: String) -> RedisKey { key(tag(partition) + ":state:" + user) }
    /// A user's audit trail in its older form, a capped stream of JSON entries; still read, and
    /// written by senders' notes. It expires with the compact trail (`trailLog`).
    public func trail(_ partition: Int, user: String) -> RedisKey { key(tag(partition) + ":trail:" + user) }
    /// A user's compact audit trail: a list, newest first, capped by count and age, whose key
    /// expires when the user has been inactive for the trail's age (`TrailRecord`, `TrailRetention`).
    public func trailLog(_ partition: Int, user: String) -> RedisKey { key(tag(partition) + ":trail-log:" + user) }
    /// Pending timers of a partition: sorted set of timer id by due time in milliseconds.
    public func timers(_ partition: Int) -> RedisKey { key(tag(partition) + ":timers") }
    /// Pending timers' payloads: hash of timer id → payload.
    public func timerPayloads(_ partition: Int) -> RedisKey { key(tag(partition) + ":timer-payloads") }
    /// When each user of a partition was last active (sorted set of user key by the time, in
    /// Unix ms, their latest event was accepted; written by `ingest.lua`), so users inactive for
    /// `HERALD_USER_INACTIVITY_MS` are found and erased (`InactivitySweep`).
    public func activity(_ partition: Int) -> RedisKey { key(tag(partition) + ":activity") }
    /// The evaluator lease of a partition (owner token).
    public func lease(_ partition: Int) -> RedisKey { key(tag(partition) + ":lease") }
    /// Events-stream entries whose effects were applied recently (sorted set of entry id by time):
    /// a redelivered input is skipped, never evaluated or applied twice.
    public func appliedInputs(_ partition: Int) -> RedisKey { key(tag(partition) + ":applied") }
    /// Per-journey statistics of a partition (hash: `step:counter` → value); `heraldctl` sums them.
    public func journeyStats(_ partition: Int, journey: String) -> RedisKey { key(tag(partition) + ":stats:" + journey) }
    /// A journey's per split group counters in a partition: hash of `<group>:<counter>` → value
    /// (`entered`, `sent`, `converted`, `revenue`), summed by `heraldctl journeys stats JOURNEY`.
    public func experimentStats(_ partition: Int, journey: String) -> RedisKey { key(tag(partition) + ":experiment:" + journey) }
    /// The fencing counter of a partition's lease.
    public func fence(_ partition: Int) -> RedisKey { key(tag(partition) + ":fence") }
    /// The idempotency record of one send.
    public func idempotency(_ partition: Int, key idempotencyKey: String) -> RedisKey { key(tag(partition) + ":sent:" + idempotencyKey) }
    /// A user's recent sends on a channel, for frequency caps.
    public func capWindow(_ partition: Int, user: String, channel: Channel) -> RedisKey {
        key(tag(partition) + ":caps:" + user + ":" + channel.rawValue)
    }
    /// A user's suppressions (hash).
    public func suppression(_ partition: Int, user: String) -> RedisKey { key(tag(partition) + ":suppression:" + user) }
    /// Per-partition delivery counters (hash: `<channel>:<status>` → count), written by senders and
    /// by the evaluator for feedback events; `heraldctl channels stats` sums every partition's hash.
    public func deliveryStats(_ partition: Int) -> RedisKey { key(tag(partition) + ":delivery-stats") }
    /// A provider's shared rate limit (GCRA theoretical arrival time). It has a hash tag of its own,
    /// `{rl:<channel>:<provider>}`, so it is always used in a script call of its own.
    public func rateLimit(_ channel: Channel, provider: String) -> RedisKey {
        key("{rl:" + channel.rawValue + ":" + provider + "}:tat")
    }
    /// The tombstone of an identity merged into another (`anon:<anonymousId>` after an identify
    /// with both ids): a string holding the user key it was merged into. Inputs for it are then
    /// forwarded to that user's partition; it expires with the trail's age (docs/journeys.md,
    /// "Identity merge").
    public func mergedInto(_ partition: Int, user: String) -> RedisKey { key(tag(partition) + ":merged:" + user) }
    /// Handovers of a partition not yet delivered to their target's partition (sorted set of
    /// merge id by the time they were taken).
    public func handovers(_ partition: Int) -> RedisKey { key(tag(partition) + ":handovers") }
    /// One handover's snapshot, kept until the target's partition has it (hash of the fields
    /// of `IdentitySnapshot`).
    public func handover(_ partition: Int, id mergeId: String) -> RedisKey { key(tag(partition) + ":handover:" + mergeId) }
    /// A user's in-app inbox (list, newest first).
    public func inbox(_ partition: Int, user: String) -> RedisKey { key(tag(partition) + ":inbox:" + user) }
    /// A user's unread in-app count.
    public func inboxUnread(_ partition: Int, user: String) -> RedisKey { key(tag(partition) + ":inbox-unread:" + user) }

    /// What survives a user's erasure of their suppressions: the suppression entries of one
    /// address, keyed by `SHA-256(channel ":" normalised address)` in hex, with no user named. It has
    /// no partition tag (the address may come back under another user) and is written on its own.
    public func erasedSuppression(addressHash: String) -> RedisKey { key("suppressed:" + addressHash) }
    /// One entry per erasure: when, who asked, the user's SHA-256 and what was erased, never the data.
    public var erasures: RedisKey { key("erasures") }

    /// Every stream the fleet uses, for status tables.
    public var allStreams: [RedisKey] {
        allIngestStreams + allRejectedStreams + allDeliveryStreams + allDeadLetterStreams
            + allPartitions.map(events)
            + Channel.allCases.flatMap { channel in allPartitions.map { outbox($0, channel) } }
    }

    private func fleetStream(_ name: String, shard: Int) -> RedisKey {
        shard == 0 ? key(name) : key(name + ":" + ingestTag(shard))
    }

    private func key(_ suffix: String) -> RedisKey { RedisKey(prefix + ":" + suffix) }
}
