/// Writes collected for one atomic `apply-effects.lua` call: each key is declared once in KEYS and
/// operations refer to it by index, so the script touches only declared keys.
public struct AtomicOperations: Sendable {
    private(set) var keys: [RedisKey] = []
    private var keyIndex: [RedisKey: Int] = [:]
    private(set) var arguments: [any RedisArgument] = []

    /// Starts an empty set of operations.
    public init() {}

    /// Whether there is nothing to write.
    public var isEmpty: Bool { arguments.isEmpty }

    private mutating func index(_ key: RedisKey) -> Int {
        if let existing = keyIndex[key] { return existing }
        keys.append(key)
        // KEYS[1] and KEYS[2] are the lease and the applied-input set.
        let position = keys.count + 2
        keyIndex[key] = position
        return position
    }

    /// SET key value.
    public mutating func set(_ key: RedisKey, _ value: any RedisArgument) { arguments += ["SET", index(key), value] }
    /// DEL key.
    public mutating func delete(_ key: RedisKey) { arguments += ["DEL", index(key)] }
    /// XADD key [MAXLEN ~ maxLength] * fields….
    public mutating func xadd(_ key: RedisKey, maxLength: Int = 0, fields: [(String, any RedisArgument)]) {
        arguments += ["XADD", index(key), maxLength, fields.count]
        for (field, value) in fields { arguments += [field, value] }
    }
    /// LPUSH key value, then LTRIM to the newest `maxLength` elements.
    public mutating func lpushCapped(_ key: RedisKey, maxLength: Int, value: any RedisArgument) {
        arguments += ["LPUSHCAPPED", index(key), maxLength, value]
    }
    /// Drops a list's oldest elements whose leading Unix-millisecond time is before `minimumMilliseconds`.
    public mutating func ltrimAge(_ key: RedisKey, minimumMilliseconds: Int64) { arguments += ["LTRIMAGE", index(key), minimumMilliseconds] }
    /// PEXPIRE key milliseconds.
    public mutating func pexpire(_ key: RedisKey, milliseconds: Int64) { arguments += ["PEXPIRE", index(key), milliseconds] }
    /// ZADD key score member.
    public mutating func zadd(_ key: RedisKey, score: Int64, member: String) { arguments += ["ZADD", index(key), score, member] }
    /// ZREM key member.
    public mutating func zrem(_ key: RedisKey, member: String) { arguments += ["ZREM", index(key), member] }
    /// HSET key field value.
    public mutating func hset(_ key: RedisKey, field: String, value: any RedisArgument) { arguments += ["HSET", index(key), field, value] }
    /// HSETNX key field value: a field the key already has keeps its value.
    public mutating func hsetnx(_ key: RedisKey, field: String, value: any RedisArgument) { arguments += ["HSETNX", index(key), field, value] }
    /// INCRBY key delta.
    public mutating func incrby(_ key: RedisKey, by delta: Int64) { arguments += ["INCRBY", index(key), delta] }
    /// ZADD key GT score member: a member already there keeps a higher score.
    public mutating func zaddGreater(_ key: RedisKey, score: Int64, member: String) { arguments += ["ZADDGT", index(key), score, member] }
    /// PEXPIRE key milliseconds, only when the key would otherwise expire sooner (or has no expiry).
    public mutating func pexpireLonger(_ key: RedisKey, milliseconds: Int64) { arguments += ["PEXPIREGT", index(key), milliseconds] }
    /// Merges `values` into a list kept newest first, by each element's leading Unix-ms time
    /// (`.leadingMilliseconds`, trail entries) or its JSON `"at"` (`.jsonAt`, inbox items); an
    /// element already there is not added twice, and the newest `maxLength` are kept.
    public mutating func listMerge(_ key: RedisKey, maxLength: Int, order: ListMergeOrder, values: [[UInt8]]) {
        arguments += ["LMERGE", index(key), maxLength, order.rawValue, values.count]
        arguments += values.map { $0 as any RedisArgument }
    }
    /// HDEL key field.
    public mutating func hdel(_ key: RedisKey, field: String) { arguments += ["HDEL", index(key), field] }
    /// ZADD key NX score member: a member already there keeps its score.
    public mutating func zaddNX(_ key: RedisKey, score: Int64, member: String) { arguments += ["ZADDNX", index(key), score, member] }
    /// Adds `delta` to the JSON number stored in a hash field (a profile trait): an absent or
    /// non-numeric field counts as 0 (a numeric string as its number), and the sum is stored as a JSON number.
    public mutating func hincrJSON(_ key: RedisKey, field: String, by delta: Double) { arguments += ["HINCRJSON", index(key), field, delta] }
    /// HINCRBYFLOAT key field delta.
    public mutating func hincrbyfloat(_ key: RedisKey, field: String, by delta: Double) {
        arguments += ["HINCRBYFLOAT", index(key), field, delta]
    }

    /// The EVALSHA command applying these operations for input `entryID`, fenced by `lease` held as
    /// `leaseValue`, and recorded in `applied` (remembered for `retention`, at most `capacity` ids) so a
    /// redelivered input is skipped.
    public func command(
        lease: RedisKey, leaseValue: String?, applied: RedisKey, entryID: String,
        retention: Duration = .seconds(900), capacity: Int = 100_000
    ) -> RedisCommand {
        let entryMilliseconds = Int64(entryID.prefix { $0 != "-" }) ?? 0
        return HeraldScripts.applyEffects.command(
            keys: [lease, applied] + keys,
            arguments: [leaseValue ?? "", entryID, entryMilliseconds, Int64(retention.components.seconds * 1000), capacity] + arguments)
    }
}
