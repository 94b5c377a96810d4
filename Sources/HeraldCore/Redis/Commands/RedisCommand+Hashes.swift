/// Hash commands.
extension RedisCommand {
    /// `HGET key field`.
    public static func hget(_ key: RedisKey, field: String) -> RedisCommand { RedisCommand("HGET", [key, field]) }

    /// `HGETALL key`: field, value, field, value … (`RESPValue.fieldPairs` reads it).
    public static func hgetall(_ key: RedisKey) -> RedisCommand { RedisCommand("HGETALL", [key]) }

    /// `HKEYS key`.
    public static func hkeys(_ key: RedisKey) -> RedisCommand { RedisCommand("HKEYS", [key]) }

    /// `HSET key field value …`: how many fields were new.
    public static func hset(_ key: RedisKey, fields: [(String, any RedisArgument)]) -> RedisCommand {
        var arguments: [any RedisArgument] = [key]
        for (field, value) in fields {
            arguments.append(field)
            arguments.append(value)
        }
        return RedisCommand("HSET", arguments)
    }

    /// `HINCRBY key field delta`.
    public static func hincrby(_ key: RedisKey, field: String, by delta: Int64) -> RedisCommand {
        RedisCommand("HINCRBY", [key, field, delta])
    }
}
