/// Sorted-set commands.
extension RedisCommand {
    /// `ZADD key [NX|GT] score member`.
    public static func zadd(
        _ key: RedisKey, score: Int64, member: any RedisArgument, onCondition condition: RedisSortedSetAddCondition = .always
    ) -> RedisCommand {
        switch condition {
        case .always: RedisCommand("ZADD", [key, score, member])
        case .memberDoesNotExist: RedisCommand("ZADD", [key, "NX", score, member])
        case .greaterScore: RedisCommand("ZADD", [key, "GT", score, member])
        }
    }

    /// `ZREM key member …`.
    public static func zrem(_ key: RedisKey, members: [any RedisArgument]) -> RedisCommand { RedisCommand("ZREM", [key] + members) }

    /// `ZCARD key`.
    public static func zcard(_ key: RedisKey) -> RedisCommand { RedisCommand("ZCARD", [key]) }

    /// `ZCOUNT key min max`.
    public static func zcount(_ key: RedisKey, from min: RedisScoreBound, to max: RedisScoreBound) -> RedisCommand {
        RedisCommand("ZCOUNT", [key, min, max])
    }

    /// `ZSCORE key member`.
    public static func zscore(_ key: RedisKey, member: any RedisArgument) -> RedisCommand { RedisCommand("ZSCORE", [key, member]) }

    /// `ZMSCORE key member …`: one score or nil per member, in order.
    public static func zmscore(_ key: RedisKey, members: [any RedisArgument]) -> RedisCommand { RedisCommand("ZMSCORE", [key] + members) }

    /// `ZRANGE key start stop WITHSCORES`: members and scores by rank.
    public static func zrangeWithScores(_ key: RedisKey, from start: Int, through stop: Int) -> RedisCommand {
        RedisCommand("ZRANGE", [key, start, stop, "WITHSCORES"])
    }

    /// `ZRANGEBYSCORE key min max WITHSCORES LIMIT 0 count`: the lowest-scored members in range.
    public static func zrangeByScoreWithScores(_ key: RedisKey, from min: RedisScoreBound, to max: RedisScoreBound, limit: Int) -> RedisCommand {
        RedisCommand("ZRANGEBYSCORE", [key, min, max, "WITHSCORES", "LIMIT", 0, limit])
    }

    /// `ZREMRANGEBYSCORE key min max`.
    public static func zremrangeByScore(_ key: RedisKey, from min: RedisScoreBound, to max: RedisScoreBound) -> RedisCommand {
        RedisCommand("ZREMRANGEBYSCORE", [key, min, max])
    }
}
