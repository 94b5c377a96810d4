/// One entry read from a stream: its id and its field/value pairs.
public struct StreamEntry: Sendable, Hashable {
    /// The stream the entry came from.
    public var stream: RedisKey
    /// The entry id (`1732300000000-0`).
    public var id: String
    /// Field/value pairs in order.
    public var fields: [(String, [UInt8])]

    /// Creates an entry.
    public init(stream: RedisKey, id: String, fields: [(String, [UInt8])]) {
        self.stream = stream
        self.id = id
        self.fields = fields
    }

    /// The first value of `field`, as bytes.
    public func bytes(_ field: String) -> [UInt8]? {
        fields.first { $0.0 == field }?.1
    }

    /// The first value of `field`, as UTF-8 text.
    public subscript(field: String) -> String? {
        bytes(field).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The milliseconds part of the id: when Redis added the entry.
    public var timestampMilliseconds: Int64 {
        Int64(id.prefix { $0 != "-" }) ?? 0
    }

    public static func == (lhs: StreamEntry, rhs: StreamEntry) -> Bool {
        lhs.stream == rhs.stream && lhs.id == rhs.id && lhs.fields.elementsEqual(rhs.fields) { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(stream)
        hasher.combine(id)
    }
}
