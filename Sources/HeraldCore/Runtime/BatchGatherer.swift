/// Gathers what a worker's per-stream read loops read into one batch at a time.
///
/// On a Redis Cluster a worker reads each stream with a loop of its own (a command may name keys
/// of one slot only). Each loop hands what it read here and waits until it has been handled, so it
/// reads its stream in order and never runs ahead; the worker's one handling loop takes everything
/// handed in so far as one batch, as a single XREADGROUP over all streams gives it on one Redis.
/// So a worker handles one batch at a time in both modes, and its limits
/// (`HERALD_SEND_CONCURRENCY` calls per batch, a breaker's failure count) mean the same.
actor BatchGatherer {
    /// Entries one loop handed in, and how to tell it they were handled.
    struct Submission: Sendable {
        var entries: [StreamEntry]
        var checkDeliveries: Bool
        var handled: CheckedContinuation<Void, any Error>
    }

    private var queued: [Submission] = []
    private var taker: CheckedContinuation<Void, Never>?
    private var closed = false

    /// Hands `entries` in and returns once they were handled (or throws the handling's error).
    func submit(_ entries: [StreamEntry], checkDeliveries: Bool) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if closed {
                continuation.resume(throwing: RedisClientError.closed)
                return
            }
            queued.append(Submission(entries: entries, checkDeliveries: checkDeliveries, handled: continuation))
            taker?.resume()
            taker = nil
        }
    }

    /// Waits until something was handed in and takes submissions up to about `limit` entries (at
    /// least one submission); empty once closed with nothing left.
    func take(limit: Int) async -> [Submission] {
        while queued.isEmpty && !closed {
            await withCheckedContinuation { taker = $0 }
        }
        var taken: [Submission] = []
        var count = 0
        while let first = queued.first, taken.isEmpty || count + first.entries.count <= limit {
            taken.append(queued.removeFirst())
            count += first.entries.count
        }
        return taken
    }

    /// No more submissions: the handling loop ends once it has taken what is queued.
    func close() {
        closed = true
        taker?.resume()
        taker = nil
    }
}
