import Foundation

/// How long and how many entries a stream nobody consumes keeps (`herald:rejected`,
/// `herald:dead-letter`): entries are kept for operators to read and replay, never forever.
///
/// Both bounds are exact (`MAXLEN` and `MINID` without `~`): these streams are written rarely, so
/// exact trimming costs nothing and the bound is what the table in docs/operations.md says.
public struct StreamRetention: Sendable, Hashable {
    /// The stream.
    public var stream: RedisKey
    /// The most entries kept.
    public var maxLength: Int
    /// The oldest entry kept, as an age in milliseconds.
    public var maxAgeMilliseconds: Int64

    /// Creates a retention.
    public init(stream: RedisKey, maxLength: Int, maxAgeMilliseconds: Int64) {
        self.stream = stream
        self.maxLength = maxLength
        self.maxAgeMilliseconds = maxAgeMilliseconds
    }

    /// The dead-letter stream's retention: `HERALD_DEAD_LETTER_MAX` entries (default 100 000) and
    /// `HERALD_DEAD_LETTER_MAX_AGE_MS` (default 30 days).
    public static func deadLetter(_ stream: RedisKey, environment: [String: String]) throws -> StreamRetention {
        try fromEnvironment(stream, variable: "HERALD_DEAD_LETTER", defaultLength: 100_000, defaultAge: 30 * 86_400_000, environment: environment)
    }

    /// The rejected stream's retention: `HERALD_REJECTED_MAX` entries (default 100 000) and
    /// `HERALD_REJECTED_MAX_AGE_MS` (default 7 days).
    public static func rejected(_ stream: RedisKey, environment: [String: String]) throws -> StreamRetention {
        try fromEnvironment(stream, variable: "HERALD_REJECTED", defaultLength: 100_000, defaultAge: 7 * 86_400_000, environment: environment)
    }

    /// Reads `<variable>_MAX` and `<variable>_MAX_AGE_MS` (both in the variable table); a value
    /// that is not a positive integer is an error naming the variable.
    public static func fromEnvironment(
        _ stream: RedisKey, variable: String, defaultLength: Int, defaultAge: Int64, environment: [String: String]
    ) throws -> StreamRetention {
        let length = try FleetConfiguration.integer(variable + "_MAX", in: environment) ?? defaultLength
        let age = try FleetConfiguration.integer(variable + "_MAX_AGE_MS", in: environment).map(Int64.init) ?? defaultAge
        return StreamRetention(stream: stream, maxLength: length, maxAgeMilliseconds: age)
    }

    /// The same bounds on another stream (another shard of the same stream family).
    public func on(_ other: RedisKey) -> StreamRetention {
        StreamRetention(stream: other, maxLength: maxLength, maxAgeMilliseconds: maxAgeMilliseconds)
    }

    /// `XADD` of `fields` bounded by the count.
    public func xaddCommand(fields: [(String, any RedisArgument)]) -> RedisCommand {
        var arguments: [any RedisArgument] = [stream, "MAXLEN", maxLength, "*"]
        for (field, value) in fields { arguments += [field, value] }
        return RedisCommand("XADD", arguments)
    }

    /// The trims that apply both bounds at `nowMilliseconds`.
    public func trimCommands(nowMilliseconds: Int64) -> [RedisCommand] {
        [
            RedisCommand("XTRIM", [stream, "MAXLEN", maxLength]),
            RedisCommand("XTRIM", [stream, "MINID", String(max(0, nowMilliseconds - maxAgeMilliseconds))]),
        ]
    }
}
