/// The work a `StreamWorker` does with each batch of entries.
public protocol StreamBatchHandler: Sendable {
    /// Handles `entries` (in stream order) and returns one outcome per entry, in the same order.
    ///
    /// Effects must be applied before returning: the worker acknowledges `.done` entries right after.
    /// A handler never throws for bad data; it returns `.deadLetter` for that. A thrown error means
    /// the infrastructure failed (Redis unreachable) and the whole batch is retried.
    func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome]
}
