/// What one steady-rate run showed, as a sweep weighs it.
public struct BenchmarkRatePoint: Sendable, Hashable {
    /// Events per second asked for.
    public var rate: Int
    /// Events per second the producer reached.
    public var achievedRate: Double
    /// Events not yet delivered when the producer stopped.
    public var backlog: Int
    /// Whether the fleet kept up (`BenchmarkPacing.keptUp`).
    public var keptUp: Bool
    /// XADD→provider-call latencies.
    public var latency: BenchmarkLatency

    /// Creates a point.
    public init(rate: Int, achievedRate: Double, backlog: Int, keptUp: Bool, latency: BenchmarkLatency) {
        self.rate = rate
        self.achievedRate = achievedRate
        self.backlog = backlog
        self.keptUp = keptUp
        self.latency = latency
    }
}
