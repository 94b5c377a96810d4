/// The producer's schedule at a steady rate: how many track events should be on the stream a given
/// time after the first, so a producer that wakes once per millisecond tick sends the difference as
/// one pipeline (a late tick catches up in its batch instead of stretching the run).
public struct BenchmarkPacing: Sendable, Hashable {
    /// Events per second asked for.
    public var rate: Int
    /// How long the producer runs.
    public var seconds: Int

    /// The producer wakes this often.
    public static let tick: Duration = .milliseconds(1)
    /// The least share of the asked rate the producer must reach for the run to count as kept up.
    public static let achievedShare = 0.95
    /// Undelivered events allowed when the producer stops, in seconds of input (`rate ×` this):
    /// a fleet that keeps up holds only what is in flight, one that falls behind a growing queue.
    public static let backlogAllowanceSeconds = 0.5

    /// Creates a schedule of `rate` events per second for `seconds` seconds.
    public init(rate: Int, seconds: Int) {
        self.rate = max(1, rate)
        self.seconds = max(1, seconds)
    }

    /// Events the run sends in all.
    public var total: Int { rate * seconds }

    /// Events due `elapsed` after the start: `⌊rate × elapsed⌋`, at most `total`.
    public func due(after elapsed: Duration) -> Int {
        let (whole, attoseconds) = elapsed.components
        guard whole >= 0, whole > 0 || attoseconds > 0 else { return 0 }
        if whole >= Int64(seconds) { return total }
        let nanoseconds = whole * 1_000_000_000 + attoseconds / 1_000_000_000
        return min(total, Int(nanoseconds * Int64(rate) / 1_000_000_000))
    }

    /// Whether a run kept up: the producer reached `achievedShare` of the rate and, when it
    /// stopped, at most `backlogAllowanceSeconds` of input was still undelivered.
    public func keptUp(achievedRate: Double, backlog: Int) -> Bool {
        achievedRate >= Double(rate) * Self.achievedShare && Double(backlog) <= Double(rate) * Self.backlogAllowanceSeconds
    }
}
