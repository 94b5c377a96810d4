/// List commands.
extension RedisCommand {
    /// `LPUSH key value …`: the new length.
    public static func lpush(_ key: RedisKey, _ values: [any RedisArgument]) -> RedisCommand { RedisCommand("LPUSH", [key] + values) }

    /// `LTRIM key start stop`: keeps the elements from `start` to `stop`, both inclusive.
    public static func ltrim(_ key: RedisKey, keeping start: Int, through stop: Int) -> RedisCommand {
        RedisCommand("LTRIM", [key, start, stop])
    }

    /// `LRANGE key start stop`, both inclusive; -1 is the last element.
    public static func lrange(_ key: RedisKey, from start: Int, through stop: Int) -> RedisCommand {
        RedisCommand("LRANGE", [key, start, stop])
    }

    /// `BLPOP key timeout`: blocks up to `seconds` (millisecond resolution, at least 1 ms: Redis
    /// reads 0 as "forever") for an element.
    public static func blpop(_ key: RedisKey, timeoutSeconds seconds: Double) -> RedisCommand {
        // Redis reads the timeout as a decimal; three places is its resolution.
        let milliseconds = max(1, seconds.wholeMilliseconds)
        let fraction = milliseconds % 1000
        return RedisCommand("BLPOP", [key, "\(milliseconds / 1000)." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + "\(fraction)"])
    }
}
