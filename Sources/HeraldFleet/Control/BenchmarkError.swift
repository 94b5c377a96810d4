/// Why a benchmark run could not finish.
public enum BenchmarkError: Error, Sendable, CustomStringConvertible {
    /// The fleet did not deliver everything in time.
    case timedOut(delivered: Int, expected: Int)
    /// redis-benchmark printed no rate.
    case redisBenchmark(String)
    /// The edge answered a batch with something other than 200.
    case edgeRefused(status: Int, body: String)
    /// The partitions' leases did not come to be held by as many evaluators as the fleet runs.
    case leasesNotShared(owners: Int, replicas: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .timedOut(let delivered, let expected): return "timed out with \(delivered) of \(expected) delivered; is the fleet running?"
        case .redisBenchmark(let output): return "redis-benchmark printed no rate: \(output.prefix(200))"
        case .edgeRefused(let status, let body): return "the edge answered a batch with \(status): \(body)"
        case .leasesNotShared(let owners, let replicas):
            return "the partitions' leases are held by \(owners) evaluators, not the \(replicas) the fleet runs (or some are not held)"
        }
    }
}
