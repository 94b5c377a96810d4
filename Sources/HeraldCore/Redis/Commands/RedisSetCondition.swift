/// When `SET` writes: always, only when the key is missing (`NX`), or only when it exists (`XX`).
public enum RedisSetCondition: Sendable, Hashable {
    /// Writes whatever is stored.
    case always
    /// `NX`: writes only when the key does not exist.
    case keyDoesNotExist
    /// `XX`: writes only when the key exists.
    case keyExists
}
