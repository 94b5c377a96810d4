extension RedisCommand {
    /// The key arguments of this command, by the command's documented key positions; empty for a
    /// command without keys (`PING`, `INFO`, `SCAN`, `MULTI` …). A Redis Cluster client routes a
    /// command by the slot of these keys.
    public var keyArguments: [[UInt8]] {
        guard arguments.count > 1 else { return [] }
        let name = normalizedName
        let rest = arguments[1...]
        switch name {
        case _ where Self.keyless.contains(name):
            return []
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            guard arguments.count > 2, let count = Int(String(decoding: arguments[2], as: UTF8.self)), count >= 0 else { return [] }
            return Array(arguments.dropFirst(3).prefix(count))
        case "XREAD", "XREADGROUP":
            guard let streams = rest.firstIndex(where: { $0.uppercasedASCII == Array("STREAMS".utf8) }) else { return [] }
            let tail = arguments[(streams + 1)...]
            return Array(tail.prefix(tail.count / 2))
        case "XINFO", "XGROUP", "MEMORY", "OBJECT":
            // `XINFO STREAM key`, `XGROUP CREATE key …`, `MEMORY USAGE key`, `OBJECT ENCODING key`;
            // their HELP forms (and `MEMORY STATS`) name no key.
            guard arguments.count > 2, !Self.keylessSubcommands.contains(arguments[1].uppercasedASCII) else { return [] }
            return [arguments[2]]
        case "DEL", "UNLINK", "EXISTS", "TOUCH", "MGET", "WATCH", "SUNION", "SINTER", "SDIFF", "PFCOUNT":
            return Array(rest)
        case "MSET", "MSETNX":
            return stride(from: 1, to: arguments.count, by: 2).map { arguments[$0] }
        case "BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX":
            return Array(rest.dropLast())
        case "RPOPLPUSH", "LMOVE", "SMOVE", "RENAME", "RENAMENX", "COPY":
            return Array(rest.prefix(2))
        default:
            return [arguments[1]]
        }
    }

    /// The command name in upper case.
    var normalizedName: String { String(decoding: (arguments.first ?? []).uppercasedASCII, as: UTF8.self) }

    private static let keyless: Set<String> = [
        "PING", "ECHO", "INFO", "SCRIPT", "CLIENT", "AUTH", "HELLO", "SELECT", "CLUSTER", "ASKING", "READONLY",
        "READWRITE", "SCAN", "DBSIZE", "TIME", "CONFIG", "COMMAND", "FLUSHALL", "FLUSHDB", "WAIT", "MULTI", "EXEC",
        "DISCARD", "UNWATCH", "ROLE", "DEBUG", "SAVE", "BGSAVE", "BGREWRITEAOF", "LASTSAVE", "SLOWLOG", "LATENCY",
        "FUNCTION", "RANDOMKEY", "QUIT", "RESET",
    ]

    private static let keylessSubcommands = Set(["HELP", "STATS", "DOCTOR", "MALLOC-STATS", "PURGE"].map { Array($0.utf8) })
}

extension Array where Element == UInt8 {
    /// The bytes with ASCII letters upper-cased (command names and tokens are case-insensitive).
    var uppercasedASCII: [UInt8] {
        map { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) ? $0 - 32 : $0 }
    }
}
