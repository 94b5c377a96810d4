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

    /// The dead-letter stream's retention: `HERALD_DEAD_LETTER_MAX` entries and
    /// `HERALD_DEAD_LETTER_MAX_AGE_MS` (the table's defaults: 100 000, 30 days).
    public static func deadLetter(_ stream: RedisKey, environment: [String: String]) throws -> StreamRetention {
        try reading(stream, variable: "HERALD_DEAD_LETTER", reader: ConfigurationReader(environment: environment))
    }

    /// The rejected stream's retention: `HERALD_REJECTED_MAX` entries and `HERALD_REJECTED_MAX_AGE_MS`
    /// (the table's defaults: 100 000, 7 days).
    public static func rejected(_ stream: RedisKey, environment: [String: String]) throws -> StreamRetention {
        try rejected(stream, reader: ConfigurationReader(environment: environment))
    }

    /// The rejected stream's retention, read through `reader`.
    public static func rejected(_ stream: RedisKey, reader: ConfigurationReader) throws(FleetConfigurationError) -> StreamRetention {
        try reading(stream, variable: "HERALD_REJECTED", reader: reader)
    }

    /// Reads `<variable>_MAX` and `<variable>_MAX_AGE_MS` (both in the variable table, which gives
    /// their defaults); a value that is not a positive integer is an error naming the variable.
    public static func reading(_ stream: RedisKey, variable: String, reader: ConfigurationReader) throws(FleetConfigurationError) -> StreamRetention {
        StreamRetention(
            stream: stream, maxLength: try reader.integer(variable + "_MAX"), maxAgeMilliseconds: try reader.milliseconds(variable + "_MAX_AGE_MS"))
    }

    /// The same bounds on another stream (another shard of the same stream family).
    public func on(_ other: RedisKey) -> StreamRetention {
        StreamRetention(stream: other, maxLength: maxLength, maxAgeMilliseconds: maxAgeMilliseconds)
    }

    /// `XADD` of `fields` bounded by the count.
    public func xaddCommand(fields: [(String, any RedisArgument)]) -> RedisCommand {
        .xadd(stream, fields: fields, trim: .maxLength(maxLength, approximate: false))
    }

    /// The trims that apply both bounds at `nowMilliseconds`.
    public func trimCommands(nowMilliseconds: Int64) -> [RedisCommand] {
        [
            .xtrim(stream, .maxLength(maxLength, approximate: false)),
            .xtrim(stream, .minID(String(max(0, nowMilliseconds - maxAgeMilliseconds)), approximate: false)),
        ]
    }
}
