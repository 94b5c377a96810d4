/// Why a benchmark run could not finish.
public enum BenchmarkError: Error, Sendable, CustomStringConvertible {
    /// The fleet did not deliver everything in time.
    case timedOut(delivered: Int, expected: Int)
    /// redis-benchmark printed no rate.
    case redisBenchmark(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .timedOut(let delivered, let expected): return "timed out with \(delivered) of \(expected) delivered; is the fleet running?"
        case .redisBenchmark(let output): return "redis-benchmark printed no rate: \(output.prefix(200))"
        }
    }
}
