import Foundation
import HeraldCore

/// Wall-clock arithmetic in a user's time zone (DST-aware through Foundation's calendar).
enum LocalCalendar {
    /// The user's zone: `profile.timezone`, else the journey default, else UTC.
    static func zone(profile: [String: JSONValue], fallback: String?) -> TimeZone {
        if let name = profile["timezone"]?.stringValue, let zone = TimeZone(identifier: name) { return zone }
        if let fallback, let zone = TimeZone(identifier: fallback) { return zone }
        return TimeZone(identifier: "UTC")!
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The instant of a local date and time; a time skipped by a DST change moves forward.
    static func date(year: Int, month: Int, day: Int, time: LocalTime, zone: TimeZone) -> Date? {
        let components = DateComponents(year: year, month: month, day: day, hour: time.hour, minute: time.minute)
        return calendar(zone).date(from: components)
    }

    /// Month and day of a date trait written `YYYY-MM-DD…` or `MM-DD`.
    static func monthDay(of value: JSONValue) -> (month: Int, day: Int)? {
        guard let text = value.stringValue else { return nil }
        let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        let monthText: Substring
        let dayText: Substring
        if parts.count == 3, parts[0].count == 4 {
            monthText = parts[1]
            dayText = parts[2]
        } else if parts.count == 2 {
            monthText = parts[0]
            dayText = parts[1]
        } else {
            return nil
        }
        guard let month = Int(monthText), let day = Int(dayText.prefix(2)), (1...12).contains(month), (1...31).contains(day) else {
            return nil
        }
        return (month, day)
    }

    /// The earliest instant at or after `now` inside the window. A window whose `to` is not after
    /// its `from` (22:00–06:00) crosses midnight: it opens on each of its `days` and closes the next day.
    static func nextOpening(of window: TimeWindow, after now: Date, zone: TimeZone) -> Date? {
        let calendar = calendar(zone)
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        guard let year = today.year, let month = today.month, let dayOfMonth = today.day else { return nil }
        let allowed = Set((window.days ?? Weekday.allCases).map(\.calendarWeekday))
        let crossesMidnight = window.to <= window.from
        // From yesterday: a window that crosses midnight may have opened then and still be open.
        for offset in -1..<8 {
            guard let day = adding(offset, to: CalendarDay(year: year, month: month, day: dayOfMonth)),
                let weekday = weekday(of: day), allowed.contains(weekday),
                let closing = crossesMidnight ? adding(1, to: day) : day,
                let start = date(year: day.year, month: day.month, day: day.day, time: window.from, zone: zone),
                let end = date(year: closing.year, month: closing.month, day: closing.day, time: window.to, zone: zone)
            else { continue }
            if now < end { return max(now, start) }
        }
        return nil
    }

    /// A date rounded down to whole milliseconds, as timers store it.
    static func millis(_ date: Date) -> Date {
        Date(unixMilliseconds: date.unixMilliseconds)
    }
}
