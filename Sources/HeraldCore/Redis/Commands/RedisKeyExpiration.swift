/// How long a written key lives.
public enum RedisKeyExpiration: Sendable, Hashable {
    /// `PX`: this many milliseconds from now.
    case milliseconds(Int64)
    /// `KEEPTTL`: whatever time to live the key had.
    case keepTTL
}
