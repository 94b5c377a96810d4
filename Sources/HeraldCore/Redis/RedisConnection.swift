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
    private let interrupter = RedisInterrupter()

    /// Where this connection goes.
    public let configuration: RedisConfiguration

    private enum Route {
        case single(RedisNodeLink)
        case cluster(RedisClusterRouter)
    }

    /// Creates a connection; sockets open lazily on the first command.
    public init(configuration: RedisConfiguration, label: String = "redis") {
        _ = Self.ignoreBrokenPipes
        self.configuration = configuration
        self.queue = DispatchQueue(label: "herald.redis.\(label)")
        if configuration.isCluster {
            route = .cluster(RedisClusterRouter(configuration: configuration, interrupter: interrupter))
        } else {
            route = .single(RedisNodeLink(
                address: RedisNodeAddress(host: configuration.host, port: configuration.port), configuration: configuration,
                interrupter: interrupter))
        }
    }

    // hiredis writes with write(2): a socket the server (or a cancellation) closed would raise
    // SIGPIPE and kill the process; ignored, the write fails with EPIPE and the link reconnects.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

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
    ///
    /// A pipeline holding a blocking command (`RedisCommand.isBlocking`) ends with
    /// `CancellationError` as soon as the calling task is cancelled, instead of outliving a drain
    /// timeout; the connection is dropped and opens again on the next command.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [RESPValue] {
        if commands.isEmpty { return [] }
        @Sendable func run(_ route: Route) throws -> [RESPValue] {
            switch route {
            case .single(let link): return try link.pipeline(commands)
            case .cluster(let router): return try router.pipeline(commands)
            }
        }
        guard commands.contains(where: \.isBlocking) else { return try await onQueue(run) }
        let interrupter = self.interrupter
        let call = interrupter.reserve()
        return try await withTaskCancellationHandler {
            try await onQueue { route in
                guard interrupter.start(call) else { throw CancellationError() }
                let result = Result { try run(route) }
                guard interrupter.finish(call) else { return try result.get() }
                // Every socket read during the call may have been shut down, a cluster's slot-map
                // read included: start afresh rather than find out on the next write.
                switch route {
                case .single(let link): link.disconnect()
                case .cluster(let router): router.disconnect()
                }
                if case .failure = result { throw CancellationError() }
                return try result.get()
            }
        } onCancel: {
            interrupter.cancel(call)
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
