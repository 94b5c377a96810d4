extension Keyspace {
    /// A throttled journey's entry reservations (sorted set: instance id → slot in ms), shared by
    /// every evaluator. It has a hash tag of its own, `{et:<journey>}`, so it is always used in a
    /// script call of its own (`HeraldScripts.entryThrottle`), never inside a partition's script.
    public func entryThrottle(journey: String) -> RedisKey {
        RedisKey(prefix + ":{et:" + journey + "}:slots")
    }
}
