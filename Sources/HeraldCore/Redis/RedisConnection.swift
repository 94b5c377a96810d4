import CHiredis
import Dispatch
import Foundation

/// One connection to Redis over hiredis 0.14's blocking API.
///
/// Every hiredis call runs on this connection's own serial dispatch queue, never on Swift's
/// cooperative thread pool, so a blocking `XREADGROUP … BLOCK` only parks that queue's thread.
/// A connection that fails is dropped and opened again on the next command; callers decide when to
/// retry (see `Backoff`), because a command interrupted mid-flight may or may not have run.
public final class RedisConnection: @unchecked Sendable {
    // @unchecked: `context`, `scriptHashes` and `closed` are touched only on `queue`, a serial queue.
    private let queue: DispatchQueue
    private var context: UnsafeMutablePointer<redisContext>?
    private var scriptHashes: [String: String] = [:]
    private var closed = false

    /// Where this connection goes.
    public let configuration: RedisConfiguration

    /// Creates a connection; the socket opens lazily on the first command.
    public init(configuration: RedisConfiguration, label: String = "redis") {
        self.configuration = configuration
        self.queue = DispatchQueue(label: "herald.redis.\(label)")
    }

    deinit {
        if let context { redisFree(context) }
    }

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

    /// Sends several commands in one round trip and returns their replies in order. Error replies
    /// stay in the array as `.error` values; only client failures throw.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [RESPValue] {
        if commands.isEmpty { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.pipelineOnQueue(commands) })
            }
        }
    }

    /// Closes the socket; later commands throw `RedisClientError.closed`.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.closed = true
                self.disconnect()
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

    private func pipelineOnQueue(_ commands: [RedisCommand]) throws -> [RESPValue] {
        let context = try connectedContext()
        var replies = try exchange(context, commands)
        // A script missing after a restart or failover: load it and run just the calls that failed,
        // which the server refused without running them.
        let missing = replies.indices.filter {
            if case .error(let message) = replies[$0], message.hasPrefix("NOSCRIPT") { return true }
            return false
        }
        if !missing.isEmpty {
            var loaded = Set<String>()
            for index in missing {
                guard let script = RedisScript.registered(sha: commands[index].arguments[1]) else { continue }
                if loaded.insert(script.sha1).inserted {
                    let reply = try exchange(context, [RedisCommand("SCRIPT", ["LOAD", script.source])])[0]
                    if case .error(let message) = reply { throw RedisServerError(command: "SCRIPT LOAD", message: message) }
                }
            }
            let retried = try exchange(context, missing.map { commands[$0] })
            for (offset, index) in missing.enumerated() { replies[index] = retried[offset] }
        }
        return replies
    }

    private func exchange(_ context: UnsafeMutablePointer<redisContext>, _ commands: [RedisCommand]) throws -> [RESPValue] {
        for command in commands {
            let status = Self.append(context, command.arguments)
            if status != REDIS_OK { throw fail(context, command: command.name) }
        }
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        for command in commands {
            var raw: UnsafeMutableRawPointer?
            if redisGetReply(context, &raw) != REDIS_OK || raw == nil {
                throw fail(context, command: command.name)
            }
            let reply = raw!.assumingMemoryBound(to: redisReply.self)
            replies.append(Self.convert(reply))
            freeReplyObject(raw)
        }
        return replies
    }

    private static func append(_ context: UnsafeMutablePointer<redisContext>, _ arguments: [[UInt8]]) -> Int32 {
        // hiredis wants parallel arrays of pointers and lengths; lay every argument into one buffer.
        var flat = [UInt8]()
        flat.reserveCapacity(arguments.reduce(0) { $0 + $1.count } + 1)
        var offsets = [Int]()
        offsets.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(flat.count)
            flat.append(contentsOf: argument)
        }
        flat.append(0)
        let lengths = arguments.map { $0.count }
        return flat.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                var pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
                return lengths.withUnsafeBufferPointer { lengthBuffer in
                    redisAppendCommandArgv(context, Int32(arguments.count), &pointers, lengthBuffer.baseAddress)
                }
            }
        }
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RESPValue {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING:
            return .bulk(value.len == 0 ? [] : Array(UnsafeRawBufferPointer(start: value.str, count: value.len)))
        case REDIS_REPLY_STATUS:
            return .simple(String(decoding: UnsafeRawBufferPointer(start: value.str, count: value.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: UnsafeRawBufferPointer(start: value.str, count: value.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(value.integer)
        case REDIS_REPLY_ARRAY:
            var elements: [RESPValue] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                if let element = value.element[index] { elements.append(convert(element)) } else { elements.append(.null) }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    private func fail(_ context: UnsafeMutablePointer<redisContext>, command: String) -> RedisClientError {
        let reason = withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        disconnect()
        return .io(command: command, reason: reason.isEmpty ? "connection lost" : reason)
    }

    private func disconnect() {
        if let context { redisFree(context) }
        context = nil
    }

    private func connectedContext() throws -> UnsafeMutablePointer<redisContext> {
        if closed { throw RedisClientError.closed }
        if let context { return context }
        let configuration = self.configuration
        guard let fresh = redisConnectWithTimeout(configuration.host, Int32(configuration.port), Self.timeval(configuration.connectTimeout)) else {
            throw RedisClientError.connectionFailed(address: configuration.address, reason: "out of memory")
        }
        if fresh.pointee.err != 0 {
            let reason = withUnsafeBytes(of: fresh.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            redisFree(fresh)
            throw RedisClientError.connectionFailed(address: configuration.address, reason: reason)
        }
        _ = redisSetTimeout(fresh, Self.timeval(configuration.socketTimeout))
        _ = redisEnableKeepAlive(fresh)
        context = fresh
        var setup: [RedisCommand] = []
        if let password = configuration.password {
            setup.append(RedisCommand("AUTH", configuration.user.map { [$0, password] } ?? [password]))
        }
        if configuration.database != 0 { setup.append(RedisCommand("SELECT", [configuration.database])) }
        if !setup.isEmpty {
            let replies = try exchange(fresh, setup)
            for (command, reply) in zip(setup, replies) {
                if case .error(let message) = reply {
                    disconnect()
                    // The AUTH arguments never reach the message: only the command name does.
                    throw RedisClientError.connectionFailed(address: configuration.address, reason: "\(command.name): \(message)")
                }
            }
        }
        return fresh
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
