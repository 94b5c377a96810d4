import Foundation
import HeraldCore

/// When the journey accepts entries (`entry.schedule`): between `start` and `end`, on `days`,
/// within `hours`, all read in `timeZone` (else `defaults.timeZone`, else UTC). Every member is
/// optional; a trigger outside the schedule is refused with a reason naming the rule.
public struct EntrySchedule: Sendable, Hashable, Codable {
    /// The first moment entries are accepted: `YYYY-MM-DD` (the start of that day),
    /// `YYYY-MM-DDTHH:MM` (local) or an ISO 8601 date-time with an offset.
    public var start: String?
    /// When entries stop: `YYYY-MM-DD` (through the end of that day), `YYYY-MM-DDTHH:MM` (local,
    /// exclusive) or an ISO 8601 date-time with an offset (exclusive).
    public var end: String?
    /// The weekdays entries are accepted on (with `hours`, the day the hours open); every day when absent.
    public var days: [Weekday]?
    /// The local hours entries are accepted in; a `to` before `from` crosses midnight.
    public var hours: EntryHours?
    /// The IANA zone the schedule is read in.
    public var timeZone: String?

    /// Creates a schedule.
    public init(start: String? = nil, end: String? = nil, days: [Weekday]? = nil, hours: EntryHours? = nil, timeZone: String? = nil) {
        self.start = start
        self.end = end
        self.days = days
        self.hours = hours
        self.timeZone = timeZone
    }

    /// The instant `start` names in `zone`; `nil` when absent or malformed.
    public func startDate(zone: TimeZone) -> Date? { start.flatMap { Self.instant($0, zone: zone, endOfDay: false) } }

    /// The instant `end` names in `zone` (exclusive); `nil` when absent or malformed.
    public func endDate(zone: TimeZone) -> Date? { end.flatMap { Self.instant($0, zone: zone, endOfDay: true) } }

    /// `text` as an instant: a date with an offset as written, a local date-time or date in `zone`
    /// (a date alone is its start, or with `endOfDay` the start of the next day).
    public static func instant(_ text: String, zone: TimeZone, endOfDay: Bool) -> Date? {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2, let year = Int(date[0]), let month = Int(date[1]),
            let day = Int(date[2]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        if parts.count == 1 {
            guard let midnight = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return nil }
            return endOfDay ? calendar.date(byAdding: .day, value: 1, to: midnight) : midnight
        }
        guard parts.count == 2 else { return nil }
        if let time = LocalTime(String(parts[1])) {
            return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: time.hour, minute: time.minute))
        }
        // Only with an offset: a date-time without one is the local form above.
        guard text.hasSuffix("Z") || text.dropFirst(10).contains("+") || text.dropFirst(10).contains("-") else { return nil }
        return ISO8601.parse(text)
    }
}
