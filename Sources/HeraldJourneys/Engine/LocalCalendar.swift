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

    /// The first local `month`/`day` at `time` strictly after `now` (29 February is 28 February in other years).
    static func nextAnnual(month: Int, day: Int, time: LocalTime, after now: Date, zone: TimeZone) -> Date? {
        let year = calendar(zone).component(.year, from: now)
        for candidateYear in year...(year + 2) {
            let leap = candidateYear % 4 == 0 && (candidateYear % 100 != 0 || candidateYear % 400 == 0)
            let actualDay = (month == 2 && day == 29 && !leap) ? 28 : day
            guard let candidate = date(year: candidateYear, month: month, day: actualDay, time: time, zone: zone) else { return nil }
            if candidate > now { return candidate }
        }
        return nil
    }

    /// The earliest instant at or after `now` inside the window.
    static func nextOpening(of window: TimeWindow, after now: Date, zone: TimeZone) -> Date? {
        let calendar = calendar(zone)
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        guard let noon = calendar.date(from: DateComponents(year: today.year, month: today.month, day: today.day, hour: 12)) else {
            return nil
        }
        let allowed = Set((window.days ?? Weekday.allCases).map(\.calendarWeekday))
        for offset in 0..<8 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: noon) else { continue }
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            guard let weekday = parts.weekday, allowed.contains(weekday), let year = parts.year, let month = parts.month,
                let dayOfMonth = parts.day,
                let start = date(year: year, month: month, day: dayOfMonth, time: window.from, zone: zone),
                let end = date(year: year, month: month, day: dayOfMonth, time: window.to, zone: zone)
            else { continue }
            if now < end { return max(now, start) }
        }
        return nil
    }

    /// A date rounded down to whole milliseconds, as timers store it.
    static func millis(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
