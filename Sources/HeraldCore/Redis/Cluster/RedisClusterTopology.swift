/// Which master serves each hash slot, as `CLUSTER SLOTS` reports it.
public struct RedisClusterTopology: Sendable, Hashable {
    /// One contiguous range of slots and the nodes that serve it.
    public struct Shard: Sendable, Hashable {
        /// The slots, inclusive.
        public var slots: ClosedRange<Int>
        /// The master serving them.
        public var master: RedisNodeAddress
        /// Its replicas.
        public var replicas: [RedisNodeAddress]
    }

    /// The ranges, in the order the node listed them.
    public private(set) var shards: [Shard]
    // Index into `masters` per slot, -1 for a slot no node serves.
    private var owners: [Int16]
    /// Every master, each once.
    public private(set) var masters: [RedisNodeAddress]

    /// A topology from slot ranges.
    public init(shards: [Shard]) {
        self.shards = shards
        owners = Array(repeating: -1, count: RedisHashSlot.count)
        masters = []
        for shard in shards {
            let index = masterIndex(shard.master)
            for slot in shard.slots where slot >= 0 && slot < RedisHashSlot.count { owners[slot] = Int16(index) }
        }
    }

    /// Parses a `CLUSTER SLOTS` reply. `queried` stands in for a node that reports an empty host
    /// (a node that does not know its own address names itself with "").
    public init(clusterSlots reply: RESPValue, queried: RedisNodeAddress) throws(RedisClientError) {
        guard case .array(let ranges) = reply else { throw .unexpectedReply(command: "CLUSTER SLOTS", reply: "\(reply)") }
        var shards: [Shard] = []
        for range in ranges {
            guard case .array(let fields) = range, fields.count >= 3,
                case .integer(let start) = fields[0], case .integer(let end) = fields[1], start <= end
            else { throw .unexpectedReply(command: "CLUSTER SLOTS", reply: "\(range)") }
            var nodes: [RedisNodeAddress] = []
            for node in fields[2...] {
                guard case .array(let parts) = node, parts.count >= 2, let host = parts[0].string, case .integer(let port) = parts[1] else {
                    throw .unexpectedReply(command: "CLUSTER SLOTS", reply: "\(node)")
                }
                nodes.append(RedisNodeAddress(host: host.isEmpty || host == "?" ? queried.host : host, port: Int(port)))
            }
            shards.append(Shard(slots: Int(start)...Int(end), master: nodes[0], replicas: Array(nodes.dropFirst())))
        }
        self.init(shards: shards)
    }

    /// The master serving `slot`, or `nil` when no node serves it (the cluster is not whole).
    public func master(for slot: RedisHashSlot) -> RedisNodeAddress? {
        let index = owners[slot.rawValue]
        return index < 0 ? nil : masters[Int(index)]
    }

    /// Whether every slot is served.
    public var coversEverySlot: Bool { !owners.contains(-1) }

    /// Records a `MOVED` redirect: `slot` is now served by `node`.
    public mutating func move(_ slot: RedisHashSlot, to node: RedisNodeAddress) {
        owners[slot.rawValue] = Int16(masterIndex(node))
    }

    /// `node`'s index in `masters`, added when it is new.
    private mutating func masterIndex(_ node: RedisNodeAddress) -> Int {
        if let known = masters.firstIndex(of: node) { return known }
        masters.append(node)
        return masters.count - 1
    }
}
