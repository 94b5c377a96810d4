/// Exponential backoff with full jitter for reconnecting and retrying loops.
public struct Backoff: Sendable {
    /// The first delay.
    public var initial: Duration
    /// The largest delay.
    public var maximum: Duration
    private var attempt = 0

    /// Creates a backoff that starts at `initial` and doubles up to `maximum`.
    public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(2)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The next delay: a random point in [delay/2, delay] where delay doubles each call.
    public mutating func next() -> Duration {
        let exponent = min(attempt, 20)
        attempt += 1
        let ceiling = min(initial * (1 << exponent), maximum)
        let millis = max(1, Int(ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000))
        return .milliseconds(Int.random(in: (millis / 2)...millis))
    }

    /// Starts over after a success.
    public mutating func reset() { attempt = 0 }
}
