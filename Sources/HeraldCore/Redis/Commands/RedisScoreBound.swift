/// One end of a sorted-set score range.
public enum RedisScoreBound: Sendable, Hashable, RedisArgument {
    /// `-inf`.
    case negativeInfinity
    /// `+inf`.
    case positiveInfinity
    /// The score itself, included.
    case inclusive(Int64)
    /// `(score`: the score itself left out.
    case exclusive(Int64)

    /// The bound as Redis spells it.
    public var redisBytes: [UInt8] {
        switch self {
        case .negativeInfinity: Array("-inf".utf8)
        case .positiveInfinity: Array("+inf".utf8)
        case .inclusive(let score): Array(String(score).utf8)
        case .exclusive(let score): Array("(\(score)".utf8)
        }
    }
}
