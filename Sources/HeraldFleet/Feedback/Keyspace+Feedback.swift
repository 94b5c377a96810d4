import HeraldCore

extension Keyspace {
    /// Per-partition delivery counters (hash: `<channel>:<status>` → count), written by senders
    /// (sent, suppressed, deferred, retrying, failed, bounced, duplicate) and by the evaluator for
    /// feedback events (delivered, opened, clicked, failed, bounced, deferred); `heraldctl channels
    /// stats` sums every partition's hash.
    public func deliveryStats(_ partition: Int) -> RedisKey {
        RedisKey(prefix + ":" + tag(partition) + ":delivery-stats")
    }
}
