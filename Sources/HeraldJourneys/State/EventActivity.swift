import Foundation

/// What the user's event summary keeps for one event name that journeys' conditions count or
/// test for recency: when it last happened, and how many times on each UTC day of the last
/// `horizonDays` days.
///
/// Bounded: at most `horizonDays` day counts, each at most `maximumDailyCount`; the stored form
/// (`EventActivity+JSON.swift`) is at most `maximumStoredBytes` bytes per event name besides the name.
public struct EventActivity: Sendable, Hashable, Codable {
    /// When it last happened (the latest event time recorded).
    public var last: Date
    /// Occurrences by UTC day (days since 1970), only days inside the horizon.
    public var days: [Int: Int]

    /// How many days of counts are kept: 180, today included. A `count` condition's `within`
    /// may not be longer.
    public static let horizonDays = 180
    /// A day's count stops here (a two-byte varint).
    public static let maximumDailyCount = 16_383
    /// The most bytes one event name's summary takes in the compact stored form, besides its name:
    /// the object and its two member names (5), the time (at most 9), the counts' tag and length
    /// (3) and per day a gap and a count (at most 1 + 2 each, one gap of 2), so 5 + 9 + 3 + 180 × 3 + 1.
    public static let maximumStoredBytes = 558

    /// A summary last seen at `last` with the given day counts.
    public init(last: Date, days: [Int: Int] = [:]) {
        self.last = last
        self.days = days
    }

    /// The UTC day of `date`: whole days since 1970.
    public static func day(_ date: Date) -> Int {
        let milliseconds = date.unixMilliseconds
        // Rounded down, for times before 1970 too.
        return Int(milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000)
    }

    /// Counts one occurrence at `at` (not later than `now`), then drops days past the horizon.
    public mutating func record(at: Date, now: Date) {
        let when = min(at, now)
        if when > last { last = when }
        let day = Self.day(when)
        if day > Self.day(now) - Self.horizonDays { days[day] = min((days[day] ?? 0) + 1, Self.maximumDailyCount) }
        prune(now: now)
    }

    /// Drops the days that are no longer inside the horizon at `now`.
    public mutating func prune(now: Date) {
        let oldest = Self.day(now) - Self.horizonDays
        days = days.filter { $0.key > oldest }
    }

    /// Occurrences on the last `days` UTC days at `now`, today included.
    public func count(lastDays window: Int, now: Date) -> Int {
        let oldest = Self.day(now) - min(window, Self.horizonDays)
        return days.reduce(0) { $1.key > oldest ? $0 + $1.value : $0 }
    }
}
