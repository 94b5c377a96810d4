/// How `XADD` or `XTRIM` bounds a stream.
public enum RedisStreamTrim: Sendable, Hashable {
    /// `MAXLEN [~] count`: keeps the newest `count` entries (about that many when approximate, which
    /// trims only whole macro nodes and is far cheaper).
    case maxLength(Int, approximate: Bool)
    /// `MINID [~] id [LIMIT n]`: drops entries older than `id`, evicting at most `limit` per call
    /// (Redis takes `LIMIT` only with `~`, so an exact trim leaves it out).
    case minID(String, approximate: Bool, limit: Int? = nil)

    var arguments: [any RedisArgument] {
        switch self {
        case .maxLength(let count, let approximate): ["MAXLEN"] + (approximate ? ["~"] : []) + [count]
        case .minID(let id, let approximate, let limit):
            ["MINID"] + (approximate ? ["~"] : []) + [id] + (approximate ? limit.map { ["LIMIT", $0] } ?? [] : [])
        }
    }
}
