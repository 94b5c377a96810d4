import Foundation

/// One entry of `herald:dead-letter`: the one wire format every worker writes and `heraldctl`
/// reads and replays.
///
/// Fields: `stream` (where the entry came from and is replayed to), `error`, `deliveries` (how
/// often it was delivered, 0 when refused at once), optional `id`, `group` and `consumer`, then the
/// original entry's fields each prefixed `original.`. Entries written before this type (a sender's
/// `request` and `attempts` fields without the prefix) are read as `original.request`.
public struct DeadLetter: Sendable {
    /// The stream the entry came from, and goes back to on a replay.
    public var stream: RedisKey
    /// Why it could not be handled.
    public var error: String
    /// Deliveries before it was given up (0: refused at once).
    public var deliveries: Int
    /// The original entry's id, when it was a stream entry of its own.
    public var originalID: String?
    /// The consumer group and consumer that gave it up, when known.
    public var group: String?
    /// The consumer that gave it up, when known.
    public var consumer: String?
    /// The original entry's fields, in order.
    public var original: [(String, [UInt8])]

    /// Creates a dead letter.
    public init(
        stream: RedisKey, error: String, deliveries: Int, originalID: String? = nil, group: String? = nil, consumer: String? = nil,
        original: [(String, [UInt8])]
    ) {
        self.stream = stream
        self.error = error
        self.deliveries = deliveries
        self.originalID = originalID
        self.group = group
        self.consumer = consumer
        self.original = original
    }

    /// Reads a dead-letter stream entry; throws when it names no stream.
    public init(entry: StreamEntry) throws(DeadLetterDecodingError) {
        guard let stream = entry["stream"], !stream.isEmpty else { throw .missingStream(id: entry.id) }
        self.stream = RedisKey(stream)
        error = entry["error"] ?? ""
        deliveries = entry["deliveries"].flatMap { Int($0) } ?? entry["attempts"].flatMap { Int($0) } ?? 0
        originalID = entry["id"]
        group = entry["group"]
        consumer = entry["consumer"]
        var original: [(String, [UInt8])] = []
        for (field, value) in entry.fields where field.hasPrefix("original.") {
            original.append((String(field.dropFirst("original.".count)), value))
        }
        if original.isEmpty, let request = entry.bytes("request") { original = [("request", request)] }
        self.original = original
    }

    /// The first original value of `field`.
    public func originalBytes(_ field: String) -> [UInt8]? {
        original.first { $0.0 == field }?.1
    }

    /// The entry's fields, in the order they are stored.
    public var fields: [(String, any RedisArgument)] {
        var fields: [(String, any RedisArgument)] = [("stream", stream), ("error", error), ("deliveries", deliveries)]
        if let originalID { fields.append(("id", originalID)) }
        if let group { fields.append(("group", group)) }
        if let consumer { fields.append(("consumer", consumer)) }
        for (field, value) in original { fields.append(("original." + field, value)) }
        return fields
    }

    /// The XADD that stores it in `deadLetterStream`, capped at about `maxLength` entries (the
    /// workers' trims then apply the configured bounds exactly).
    public func command(to deadLetterStream: RedisKey, maxLength: Int = 100_000) -> RedisCommand {
        RedisCommand.xadd(deadLetterStream, fields: fields, trim: .maxLength(maxLength, approximate: true))
    }

    /// The XADD that puts the original entry back on its stream, marked with the dead letter it
    /// came from (`replayedFrom`).
    public func replayCommand(deadLetterID: String) -> RedisCommand {
        RedisCommand.xadd(stream, fields: original.map { ($0.0, $0.1 as any RedisArgument) } + [("replayedFrom", deadLetterID)])
    }
}
