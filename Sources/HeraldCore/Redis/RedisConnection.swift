import Dispatch
import Foundation

/// One connection to Redis, or to a Redis Cluster, over hiredis 0.14's blocking API.
///
/// Every hiredis call runs on this connection's own serial dispatch queue, never on Swift's
/// cooperative thread pool, so a blocking `XREADGROUP … BLOCK` only parks that queue's thread.
/// A connection that fails is dropped and opened again on the next command; callers decide when to
/// retry (see `Backoff`), because a command interrupted mid-flight may or may not have run.
///
/// On a cluster (`RedisConfiguration.clusterSeeds`), the same calls route each command to the
/// master of its keys' hash slot, split a pipeline by node and return replies in the caller's
/// order, and follow MOVED and ASK; callers do not know which mode they run in, except that a
/// command whose keys span slots throws `RedisClientError.crossSlot` before it is sent.
public final class RedisConnection: @unchecked Sendable {
    // @unchecked: `route` and `closed` are touched only on `queue`, a serial queue.
    private let queue: DispatchQueue
    private let route: Route
    private var closed = false

    /// Where this connection goes.
    public let configuration: RedisConfiguration

    private enum Route {
        case single(RedisNodeLink)
        case cluster(RedisClusterRouter)
    }

    /// Creates a connection; sockets open lazily on the first command.
    public init(configuration: RedisConfiguration, label: String = "redis") {
        self.configuration = configuration
        self.queue = DispatchQueue(label: "herald.redis.\(label)")
        if configuration.isCluster {
            route = .cluster(RedisClusterRouter(configuration: configuration))
        } else {
            route = .single(RedisNodeLink(address: RedisNodeAddress(host: configuration.host, port: configuration.port), configuration: configuration))
        }
    }

    /// Whether this connection talks to a Redis Cluster.
    public var isCluster: Bool { configuration.isCluster }

    /// Sends one command and returns its reply; an error reply throws `RedisServerError`.
    @discardableResult
    public func send(_ command: RedisCommand) async throws -> RESPValue {
        let reply = try await pipeline([command])[0]
        if case .error(let message) = reply { throw RedisServerError(command: command.name, message: message) }
        return reply
    }

    /// Sends one command given as name and arguments.
    @discardableResult
    public func send(_ name: String, _ arguments: any RedisArgument...) async throws -> RESPValue {
        try await send(RedisCommand(name, arguments))
    }

    /// Sends several commands in one round trip (one per node on a cluster) and returns their
    /// replies in order. Error replies stay in the array as `.error` values; only client failures
    /// throw.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [RESPValue] {
        if commands.isEmpty { return [] }
        return try await onQueue { route in
            switch route {
            case .single(let link): return try link.pipeline(commands)
            case .cluster(let router): return try router.pipeline(commands)
            }
        }
    }

    /// Sends a keyless command (`SCAN`, `INFO`, `DBSIZE`, `FLUSHALL` …) to every master: the one
    /// server, or each master of the cluster. Error replies stay in the array.
    public func onEveryMaster(_ command: RedisCommand) async throws -> [RESPValue] {
        try await onQueue { route in
            switch route {
            case .single(let link): return try link.pipeline([command])
            case .cluster(let router): return try router.onEveryMaster(command)
            }
        }
    }

    /// Sends a keyless command to one of `masters()` (a SCAN cursor belongs to the node that gave it).
    public func send(_ command: RedisCommand, toMaster node: RedisNodeAddress) async throws -> RESPValue {
        try await onQueue { route in
            switch route {
            case .single(let link): return try link.pipeline([command])[0]
            case .cluster(let router): return try router.send(command, to: node)
            }
        }
    }

    /// The masters this connection reaches: the one server, or each master of the cluster's
    /// current slot map.
    public func masters() async throws -> [RedisNodeAddress] {
        try await onQueue { route in
            switch route {
            case .single(let link): return [link.address]
            case .cluster(let router): return try router.masters()
            }
        }
    }

    /// The master serving `slot`: the one server, or the slot's master in the current slot map.
    public func master(serving slot: RedisHashSlot) async throws -> RedisNodeAddress? {
        try await onQueue { route in
            switch route {
            case .single(let link): return link.address
            case .cluster(let router): return try router.master(for: slot)
            }
        }
    }

    /// On a cluster, the commands sent per node and the redirects followed so far; `nil` for one
    /// Redis.
    public func clusterStatistics() async -> RedisClusterStatistics? {
        try? await onQueue { route in
            if case .cluster(let router) = route { return router.statistics }
            return nil
        }
    }

    /// Closes the sockets; later commands throw `RedisClientError.closed`.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.closed = true
                switch self.route {
                case .single(let link): link.disconnect()
                case .cluster(let router): router.disconnect()
                }
                continuation.resume()
            }
        }
    }

    /// Runs a Lua script with EVALSHA, loading it first when this server has not seen it.
    public func evaluate(_ script: RedisScript, keys: [RedisKey], arguments: [any RedisArgument]) async throws -> RESPValue {
        let replies = try await evaluateMany(script, calls: [(keys, arguments)])
        if case .error(let message) = replies[0] { throw RedisServerError(command: "EVALSHA \(script.name)", message: message) }
        return replies[0]
    }

    /// Runs one script many times in one pipeline; error replies stay in the result.
    public func evaluateMany(_ script: RedisScript, calls: [([RedisKey], [any RedisArgument])]) async throws -> [RESPValue] {
        try await pipeline(calls.map { script.command(keys: $0.0, arguments: $0.1) })
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable (Route) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                if self.closed {
                    continuation.resume(throwing: RedisClientError.closed)
                    return
                }
                continuation.resume(with: Result { try body(self.route) })
            }
        }
    }
}
