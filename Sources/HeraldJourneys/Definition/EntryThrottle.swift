/// At most `count` entries into the journey per `per` (a rolling window), fleet-wide: across every
/// user and partition. Triggers beyond it are queued, not dropped, and enter in order as capacity
/// frees (`entry.throttle`, docs/journeys.md#entry-throttling).
public struct EntryThrottle: Sendable, Hashable, Codable {
    /// The most entries in any window of `per`.
    public var count: Int
    /// The window; `1m` when absent.
    public var per: JourneyDuration?

    /// The largest `count`: the throttle key keeps one reservation per entry of a window.
    public static let maximumCount = 100_000

    /// Creates a throttle.
    public init(count: Int, per: JourneyDuration? = nil) {
        self.count = count
        self.per = per
    }

    /// The window's length in seconds (`1m` when absent).
    public var window: Double { per?.interval ?? 60 }
}
