/// Generic commands: on keys of any type.
extension RedisCommand {
    /// `DEL key …`: how many existed.
    public static func del(_ keys: [RedisKey]) -> RedisCommand { RedisCommand("DEL", keys.map { $0 as any RedisArgument }) }

    /// `PEXPIRE key ms`: 1 when the key exists.
    public static func pexpire(_ key: RedisKey, milliseconds: Int64) -> RedisCommand { RedisCommand("PEXPIRE", [key, milliseconds]) }

    /// `MEMORY USAGE key SAMPLES 0`: the key's bytes, every element counted.
    public static func memoryUsage(_ key: RedisKey) -> RedisCommand { RedisCommand("MEMORY", ["USAGE", key, "SAMPLES", 0]) }

    /// `SCAN cursor MATCH pattern COUNT count`.
    public static func scan(cursor: String, matching pattern: String, count: Int) -> RedisCommand {
        RedisCommand("SCAN", [cursor, "MATCH", pattern, "COUNT", count])
    }
}
