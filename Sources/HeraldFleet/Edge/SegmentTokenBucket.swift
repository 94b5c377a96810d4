/// One write key's token bucket: `rate` events a second, up to `capacity` at once. Pure: the
/// caller passes the time.
///
/// A request costs its message count. It is admitted when the bucket holds that many tokens, or
/// when the bucket is full (so a batch larger than the burst is not refused forever); the bucket
/// may then go negative, and later requests wait until it refills, so the long-run rate holds.
public struct SegmentTokenBucket: Sendable, Equatable {
    /// What the bucket decided.
    public enum Decision: Sendable, Equatable {
        /// Go ahead.
        case admitted
        /// Refused; enough tokens are there after this many seconds (rounded up, at least 1).
        case limited(retryAfter: Int)
    }

    /// Events per second.
    public let rate: Double
    /// The most tokens the bucket holds.
    public let capacity: Double
    /// Tokens now (negative after an oversized batch).
    public private(set) var tokens: Double
    /// When `tokens` was last brought up to date, in seconds of the caller's clock.
    public private(set) var updatedAt: Double

    /// A full bucket at `now`.
    public init(rate: Double, capacity: Double, now: Double) {
        self.rate = rate
        self.capacity = max(1, capacity)
        tokens = self.capacity
        updatedAt = now
    }

    /// Takes `cost` tokens at `now`, or says how long to wait.
    public mutating func take(_ cost: Int, now: Double) -> Decision {
        if now > updatedAt {
            tokens = min(capacity, tokens + (now - updatedAt) * rate)
            updatedAt = now
        }
        let needed = min(Double(cost), capacity)
        guard tokens >= needed else {
            let seconds = (needed - tokens) / rate
            return .limited(retryAfter: max(1, Int(seconds.rounded(.up))))
        }
        tokens -= Double(cost)
        return .admitted
    }
}
