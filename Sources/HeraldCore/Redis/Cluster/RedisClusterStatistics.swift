import Synchronization

/// What a cluster client has sent: commands per node, how many of them a pipeline had to send to
/// a node other than the one that took most of it, and redirects followed.
public struct RedisClusterStatistics: Sendable, Hashable {
    /// Commands written to each master (ASKING and retries included).
    public var commandsByNode: [RedisNodeAddress: Int] = [:]
    /// Commands of a pipeline written to a node other than the one that took most of that
    /// pipeline: the part of the traffic that pays for the keys being spread over nodes (one more
    /// node to write to and wait for in the same call).
    public var crossNodeCommands = 0
    /// MOVED and ASK redirects followed.
    public var redirects = 0

    /// Creates empty statistics.
    public init() {}

    /// What every cluster client of this process has sent since it started, for the metrics
    /// endpoint (`herald_redis_cluster_commands_total`, `herald_redis_cluster_cross_node_commands_total`).
    public static var process: RedisClusterStatistics { processTotal.withLock { $0 } }

    private static let processTotal = Mutex(RedisClusterStatistics())

    mutating func record(node: RedisNodeAddress, commands: Int) {
        commandsByNode[node, default: 0] += commands
        Self.processTotal.withLock { $0.commandsByNode[node, default: 0] += commands }
    }

    mutating func recordCrossNode(_ commands: Int) {
        guard commands > 0 else { return }
        crossNodeCommands += commands
        Self.processTotal.withLock { $0.crossNodeCommands += commands }
    }

    mutating func recordRedirect() {
        redirects += 1
        Self.processTotal.withLock { $0.redirects += 1 }
    }

    /// Every command written, on all nodes.
    public var commands: Int { commandsByNode.values.reduce(0, +) }
}
