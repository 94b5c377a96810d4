/// String commands.
extension RedisCommand {
    /// `GET key`: the value, or nil.
    public static func get(_ key: RedisKey) -> RedisCommand { RedisCommand("GET", [key]) }

    /// `SET key value [NX|XX] [PX ms|KEEPTTL] [GET]`. With `returningPrevious` the reply is the
    /// value that was stored before (and, with `.keyDoesNotExist`, nil when this call wrote it).
    public static func set(
        _ key: RedisKey, to value: any RedisArgument, onCondition condition: RedisSetCondition = .always,
        expiration: RedisKeyExpiration? = nil, returningPrevious: Bool = false
    ) -> RedisCommand {
        var arguments: [any RedisArgument] = [key, value]
        switch condition {
        case .always: break
        case .keyDoesNotExist: arguments.append("NX")
        case .keyExists: arguments.append("XX")
        }
        switch expiration {
        case .milliseconds(let milliseconds): arguments += ["PX", milliseconds]
        case .keepTTL: arguments.append("KEEPTTL")
        case nil: break
        }
        if returningPrevious { arguments.append("GET") }
        return RedisCommand("SET", arguments)
    }

    /// `INCR key`: the incremented value.
    public static func incr(_ key: RedisKey) -> RedisCommand { RedisCommand("INCR", [key]) }
}
