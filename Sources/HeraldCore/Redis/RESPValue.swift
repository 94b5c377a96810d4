/// One reply from Redis.
public enum RESPValue: Sendable, Hashable {
    /// A status reply such as `OK`.
    case simple(String)
    /// An error reply, kept as a value inside pipelines; `send` turns it into `RedisServerError`.
    case error(String)
    /// An integer reply.
    case integer(Int64)
    /// A bulk string (binary-safe).
    case bulk([UInt8])
    /// A nil reply.
    case null
    /// An array reply.
    case array([RESPValue])
}

extension RESPValue {
    /// The reply as text: bulk strings decoded as UTF-8, status replies, integers in decimal.
    public var string: String? {
        switch self {
        case .bulk(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .simple(let text): return text
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    /// The reply as raw bytes.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): return bytes
        case .simple(let text): return Array(text.utf8)
        default: return nil
        }
    }

    /// The reply as an integer (integer replies or decimal bulk strings).
    public var int: Int64? {
        switch self {
        case .integer(let value): return value
        case .bulk, .simple: return string.flatMap { Int64($0) }
        default: return nil
        }
    }

    /// The elements of an array reply (`nil` for anything else; a nil array is `nil`).
    public var array: [RESPValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The field/value pairs of a flat array reply (HGETALL, XINFO, CONFIG GET …), in order;
    /// empty for anything else.
    public var fieldPairs: [(String, RESPValue)] {
        guard let flat = array else { return [] }
        return stride(from: 0, to: flat.count - 1, by: 2).compactMap { index in
            flat[index].string.map { ($0, flat[index + 1]) }
        }
    }

    /// The same pairs as a dictionary (the last value wins for a repeated field).
    public var fields: [String: RESPValue] {
        Dictionary(fieldPairs, uniquingKeysWith: { _, last in last })
    }

    /// Whether this is a nil reply.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
