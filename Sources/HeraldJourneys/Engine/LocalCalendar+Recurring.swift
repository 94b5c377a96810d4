import Foundation
import HeraldCore

/// A calendar day, zone-free: the local date a rule or a trait names.
struct CalendarDay: Hashable {
    var year: Int
    var month: Int
    var day: Int
}

extension LocalCalendar {
    /// Day arithmetic on dates alone, in UTC, so no DST change moves a day.
    static let days = calendar(TimeZone(identifier: "UTC")!)

    static func daysIn(year: Int, month: Int) -> Int? {
        guard let first = days.date(from: DateComponents(year: year, month: month, day: 1)) else { return nil }
        return days.range(of: .day, in: .month, for: first)?.count
    }

    /// The calendar day `count` days after (before, when negative) `day`.
    static func adding(_ count: Int, to day: CalendarDay) -> CalendarDay? {
        guard let date = days.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)),
            let moved = days.date(byAdding: .day, value: count, to: date)
        else { return nil }
        let parts = days.dateComponents([.year, .month, .day], from: moved)
        guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day else { return nil }
        return CalendarDay(year: year, month: month, day: dayOfMonth)
    }

    /// The Gregorian weekday number (Sunday is 1) of a calendar day.
    static func weekday(of day: CalendarDay) -> Int? {
        days.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 12)).map { days.component(.weekday, from: $0) }
    }

    /// The day `rule` names in one month; `nil` when that month has none (a fifth Friday).
    static func day(of rule: CalendarRule, year: Int, month: Int) -> CalendarDay? {
        guard let length = daysIn(year: year, month: month) else { return nil }
        var found: CalendarDay?
        if let day = rule.day {
            let dayOfMonth = day > 0 ? min(day, length) : length + day + 1
            if dayOfMonth >= 1 { found = CalendarDay(year: year, month: month, day: dayOfMonth) }
        } else if let weekday = rule.weekday, let nth = rule.nth, nth != 0 {
            let target = weekday.calendarWeekday
            if nth > 0 {
                guard let firstWeekday = Self.weekday(of: CalendarDay(year: year, month: month, day: 1)) else { return nil }
                let dayOfMonth = 1 + (target - firstWeekday + 7) % 7 + 7 * (nth - 1)
                if dayOfMonth <= length { found = CalendarDay(year: year, month: month, day: dayOfMonth) }
            } else {
                guard let lastWeekday = Self.weekday(of: CalendarDay(year: year, month: month, day: length)) else { return nil }
                let dayOfMonth = length - (lastWeekday - target + 7) % 7 - 7 * (-nth - 1)
                if dayOfMonth >= 1 { found = CalendarDay(year: year, month: month, day: dayOfMonth) }
            }
        }
        guard var day = found else { return nil }
        if let next = rule.nextWeekday, let current = Self.weekday(of: day) {
            let ahead = (next.calendarWeekday - current + 7) % 7
            guard let moved = adding(ahead == 0 ? 7 : ahead, to: day) else { return nil }
            day = moved
        }
        return day
    }

    /// The first occurrence of `rule`, shifted by `offsetDays`, at local `time` strictly after `now`.
    static func nextRecurring(_ rule: CalendarRule, offsetDays: Int, time: LocalTime, after now: Date, zone: TimeZone) -> Date? {
        let today = calendar(zone).dateComponents([.year, .month], from: now)
        guard let year = today.year, let month = today.month else { return nil }
        // Periods in time order from one before the current one (an offset can reach back into it);
        // months are skipped when they have no such day, so look far enough for a fifth weekday.
        var periods: [(year: Int, month: Int)] = []
        switch rule.every {
        case .year:
            guard let ruleMonth = rule.month else { return nil }
            periods = ((year - 1)...(year + 8)).map { ($0, ruleMonth) }
        case .month:
            periods = (-1...36).map { step in
                let index = year * 12 + (month - 1) + step
                return (index / 12, index % 12 + 1)
            }
        }
        for period in periods {
            guard let day = Self.day(of: rule, year: period.year, month: period.month), let shifted = adding(offsetDays, to: day),
                let candidate = date(year: shifted.year, month: shifted.month, day: shifted.day, time: time, zone: zone)
            else { continue }
            if candidate > now { return candidate }
        }
        return nil
    }

    /// The first yearly occurrence of `month`/`day` shifted by `offsetDays`, at local `time`, strictly after `now`
    /// (29 February is 28 February in other years).
    static func nextAnnual(month: Int, day: Int, offsetDays: Int, time: LocalTime, after now: Date, zone: TimeZone) -> Date? {
        let year = calendar(zone).component(.year, from: now)
        for candidateYear in (year - 1)...(year + 2) {
            let leap = candidateYear % 4 == 0 && (candidateYear % 100 != 0 || candidateYear % 400 == 0)
            let actualDay = (month == 2 && day == 29 && !leap) ? 28 : day
            guard let shifted = adding(offsetDays, to: CalendarDay(year: candidateYear, month: month, day: actualDay)),
                let candidate = date(year: shifted.year, month: shifted.month, day: shifted.day, time: time, zone: zone)
            else { continue }
            if candidate > now { return candidate }
        }
        return nil
    }

    /// The full date of a trait written `YYYY-MM-DD…`; `nil` without a year.
    static func calendarDay(of value: JSONValue) -> CalendarDay? {
        guard let text = value.stringValue else { return nil }
        let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), let length = daysIn(year: year, month: month), (1...length).contains(day)
        else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }
}
