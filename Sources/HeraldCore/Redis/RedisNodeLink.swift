import CHiredis
import Foundation

/// One hiredis context to one Redis node: connect (with AUTH and SELECT), write a pipeline, read its
/// replies, and load a script the node answered NOSCRIPT for.
///
/// Not thread-safe: its owner (`RedisConnection`) calls it only on its own serial queue.
final class RedisNodeLink {
    /// The node's address.
    let address: RedisNodeAddress
    private let configuration: RedisConfiguration
    private let interrupter: RedisInterrupter?
    private var context: UnsafeMutablePointer<redisContext>?

    init(address: RedisNodeAddress, configuration: RedisConfiguration, interrupter: RedisInterrupter? = nil) {
        self.address = address
        self.configuration = configuration
        self.interrupter = interrupter
    }

    deinit { disconnect() }

    /// Sends `commands` and returns their replies in order, running again (after SCRIPT LOAD) the
    /// script calls this node refused with NOSCRIPT. Error replies stay in the array.
    func pipeline(_ commands: [RedisCommand]) throws -> [RESPValue] {
        try write(commands)
        return try finish(commands, replies: read(commands))
    }

    /// Connects when not connected. Nothing is sent when this throws.
    func connect() throws {
        _ = try connectedContext()
    }

    /// Appends `commands` to the output buffer and writes it to the socket without reading replies,
    /// so several nodes can work on their parts of a pipeline at once.
    func write(_ commands: [RedisCommand]) throws {
        let context = try connectedContext()
        for command in commands where Self.append(context, command.arguments) != REDIS_OK {
            throw fail(context, command: command.name)
        }
        var done: Int32 = 0
        while done == 0 {
            if redisBufferWrite(context, &done) != REDIS_OK { throw fail(context, command: commands.first?.name ?? "") }
        }
    }

    /// Reads one reply per command written.
    func read(_ commands: [RedisCommand]) throws -> [RESPValue] {
        guard let context else { throw RedisClientError.io(command: commands.first?.name ?? "", reason: "connection lost") }
        interrupter?.watch(socket: context.pointee.fd)
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        for command in commands {
            var raw: UnsafeMutableRawPointer?
            if redisGetReply(context, &raw) != REDIS_OK || raw == nil {
                throw fail(context, command: command.name)
            }
            replies.append(Self.convert(raw!.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    /// Loads the scripts this node did not know and runs just the calls it refused (which it did
    /// not run), keeping every other reply.
    func finish(_ commands: [RedisCommand], replies: [RESPValue]) throws -> [RESPValue] {
        var replies = replies
        let missing = replies.indices.filter {
            if case .error(let message) = replies[$0], message.hasPrefix("NOSCRIPT") { return true }
            return false
        }
        if missing.isEmpty { return replies }
        var loaded = Set<String>()
        for index in missing {
            guard let script = RedisScript.registered(sha: commands[index].arguments[1]) else { continue }
            if loaded.insert(script.sha1).inserted {
                let load: [RedisCommand] = [.scriptLoad(script.source)]
                try write(load)
                if case .error(let message) = try read(load)[0] { throw RedisServerError(command: "SCRIPT LOAD", message: message) }
            }
        }
        let again = missing.map { commands[$0] }
        try write(again)
        for (offset, reply) in try read(again).enumerated() { replies[missing[offset]] = reply }
        return replies
    }

    /// Drops the socket; the next command connects again.
    func disconnect() {
        if let context {
            // Before the descriptor is closed and its number can be reused by another socket.
            interrupter?.forget(socket: context.pointee.fd)
            redisFree(context)
        }
        context = nil
    }

    private func connectedContext() throws -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        guard let fresh = redisConnectWithTimeout(address.host, Int32(address.port), Self.timeval(configuration.connectTimeout)) else {
            throw RedisClientError.connectionFailed(address: address.description, reason: "out of memory")
        }
        if fresh.pointee.err != 0 {
            let reason = withUnsafeBytes(of: fresh.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            redisFree(fresh)
            throw RedisClientError.connectionFailed(address: address.description, reason: reason)
        }
        _ = redisSetTimeout(fresh, Self.timeval(configuration.socketTimeout))
        _ = redisEnableKeepAlive(fresh)
        context = fresh
        var setup: [RedisCommand] = []
        if let password = configuration.password {
            setup.append(.auth(user: configuration.user, password: password))
        }
        if configuration.database != 0 { setup.append(.select(database: configuration.database)) }
        if !setup.isEmpty {
            try write(setup)
            let replies = try read(setup)
            for (command, reply) in zip(setup, replies) {
                if case .error(let message) = reply {
                    disconnect()
                    // The AUTH arguments never reach the message: only the command name does.
                    throw RedisClientError.connectionFailed(address: address.description, reason: "\(command.name): \(message)")
                }
            }
        }
        return fresh
    }

    private func fail(_ context: UnsafeMutablePointer<redisContext>, command: String) -> RedisClientError {
        let reason = withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        disconnect()
        return .io(command: command, reason: reason.isEmpty ? "connection lost" : reason)
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

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
