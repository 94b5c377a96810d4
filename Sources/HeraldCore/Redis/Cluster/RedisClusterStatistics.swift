/// What a cluster client has sent: commands per node and redirects followed.
public struct RedisClusterStatistics: Sendable, Hashable {
    /// Commands written to each master (ASKING and retries included).
    public var commandsByNode: [RedisNodeAddress: Int] = [:]
    /// MOVED and ASK redirects followed.
    public var redirects = 0

    /// Creates empty statistics.
    public init() {}

    mutating func record(node: RedisNodeAddress, commands: Int) {
        commandsByNode[node, default: 0] += commands
    }

    /// Every command written, on all nodes.
    public var commands: Int { commandsByNode.values.reduce(0, +) }
}
