/// One command as its binary-safe argument vector (`XADD`, key, `*`, field, value …).
public struct RedisCommand: Sendable, Hashable {
    /// The arguments, the command name first.
    public var arguments: [[UInt8]]

    /// Creates a command from its name and arguments.
    public init(_ name: String, _ arguments: [any RedisArgument] = []) {
        self.arguments = [Array(name.utf8)] + arguments.map(\.redisBytes)
    }

    /// Creates a command from raw argument bytes, the name first.
    public init(rawArguments: [[UInt8]]) { self.arguments = rawArguments }

    /// The command name, for errors and logs (arguments are left out: they may carry personal data).
    public var name: String { arguments.first.map { String(decoding: $0, as: UTF8.self) } ?? "" }

    /// Whether the server may hold the reply back (`BLPOP`, `XREADGROUP … BLOCK`, `WAIT` …): such a
    /// command is ended early when the task waiting for it is cancelled.
    public var isBlocking: Bool {
        // Every pipeline asks this of each command: rule most out by their first letters, without
        // building a string (the blocking ones start with B, W or XR).
        guard let name = arguments.first, let first = name.first else { return false }
        switch first | 0x20 {
        case UInt8(ascii: "b"), UInt8(ascii: "w"): break
        case UInt8(ascii: "x"): guard name.count > 1, name[1] | 0x20 == UInt8(ascii: "r") else { return false }
        default: return false
        }
        switch self.name.uppercased() {
        case "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT": return true
        case "XREAD", "XREADGROUP": return arguments.dropFirst().contains { $0.count == 5 && String(decoding: $0, as: UTF8.self).uppercased() == "BLOCK" }
        default: return false
        }
    }
}

/// A value that can stand as one argument of a Redis command.
public protocol RedisArgument: Sendable {
    /// The argument's bytes on the wire.
    var redisBytes: [UInt8] { get }
}

extension String: RedisArgument {
    /// UTF-8 bytes.
    public var redisBytes: [UInt8] { Array(utf8) }
}

extension Substring: RedisArgument {
    /// UTF-8 bytes.
    public var redisBytes: [UInt8] { Array(utf8) }
}

extension Array: RedisArgument where Element == UInt8 {
    /// The bytes themselves.
    public var redisBytes: [UInt8] { self }
}

extension Int: RedisArgument {
    /// Decimal text.
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension Int64: RedisArgument {
    /// Decimal text.
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension Double: RedisArgument {
    /// Decimal text.
    public var redisBytes: [UInt8] { Array(String(self).utf8) }
}

extension RedisKey: RedisArgument {
    /// The key's UTF-8 bytes.
    public var redisBytes: [UInt8] { Array(rawValue.utf8) }
}
