/// Why a timer benchmark run could not finish.
public enum TimerBenchmarkError: Error, Sendable, CustomStringConvertible {
    /// Something did not happen in time.
    case timedOut(what: String, seen: Int, expected: Int)
    /// A count came out wrong (lost or duplicated timers).
    case mismatch(what: String, seen: Int, expected: Int)
    /// The burst took longer to load than the lead time before it fell due.
    case loadTooSlow(seconds: Double)
    /// `INFO memory` had no `used_memory`.
    case noUsedMemory

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .timedOut(let what, let seen, let expected): return "timed out waiting for \(what): \(seen) of \(expected); is the fleet running?"
        case .mismatch(let what, let seen, let expected): return "\(what): \(seen), expected \(expected)"
        case .loadTooSlow(let seconds): return "loading the burst took \(seconds) s, past its due time; the figure would be wrong"
        case .noUsedMemory: return "INFO memory reported no used_memory"
        }
    }
}
