import HeraldCore

/// A local time window on some weekdays, e.g. 09:00–18:00 Monday to Friday in the user's zone.
public struct TimeWindow: Sendable, Hashable, Codable {
    /// Window opens (inclusive).
    public var from: LocalTime
    /// Window closes (exclusive); after `from`.
    public var to: LocalTime
    /// The days it is open; every day when absent.
    public var days: [Weekday]?

    /// Creates a window.
    public init(from: LocalTime, to: LocalTime, days: [Weekday]? = nil) {
        self.from = from
        self.to = to
        self.days = days
    }
}
