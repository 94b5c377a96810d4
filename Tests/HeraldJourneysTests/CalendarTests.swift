import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// Recurring calendar rules, offsets from profile dates and windows across midnight. Every date is
/// derived from the clock and computed here independently, day by day, with Foundation's calendar.
@Suite struct CalendarTests {
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// Every day of `month` in `year`, as local noons.
    static func days(year: Int, month: Int, zone: TimeZone) -> [Date] {
        let calendar = calendar(zone)
        let first = calendar.date(from: DateComponents(year: year, month: month, day: 1, hour: 12))!
        return (0..<31).compactMap { calendar.date(byAdding: .day, value: $0, to: first) }.filter { calendar.component(.month, from: $0) == month }
    }

    /// `day` at a local time.
    static func at(_ day: Date, _ hour: Int, _ minute: Int = 0, zone: TimeZone) -> Date {
        let calendar = calendar(zone)
        var parts = calendar.dateComponents([.year, .month, .day], from: day)
        parts.hour = hour
        parts.minute = minute
        return calendar.date(from: parts)!
    }

    /// The Monday (weekday 2) — or `weekday` — after the fourth Thursday of November of `year`, found by walking the days.
    static func afterThanksgiving(_ year: Int, weekday: Int, zone: TimeZone = newYork) -> Date {
        let calendar = calendar(zone)
        let thursdays = days(year: year, month: 11, zone: zone).filter { calendar.component(.weekday, from: $0) == 5 }
        var day = calendar.date(byAdding: .day, value: 1, to: thursdays[3])!
        while calendar.component(.weekday, from: day) != weekday { day = calendar.date(byAdding: .day, value: 1, to: day)! }
        return day
    }

    /// The next `count` Cyber Mondays (or Black Fridays, weekday 6) at a local time after `now`.
    static func upcoming(_ count: Int, weekday: Int, hour: Int, after now: Date, zone: TimeZone = newYork) -> [Date] {
        let year = calendar(zone).component(.year, from: now)
        return (year...(year + count + 1)).map { at(afterThanksgiving($0, weekday: weekday, zone: zone), hour, zone: zone) }.filter { $0 > now }
            .prefix(count).map { $0 }
    }

    static func date(trigger: String, time: String = "08:00", extra: String = "") -> String {
        """
        {"id": "dated", "trigger": {"date": {\(trigger), "time": "\(time)"\(extra)}}, "entry": {"reentry": "afterExit"},
         "steps": [{"id": "go", "send": {"channel": "email", "template": "dated"}}], "defaults": {"timeZone": "America/New_York"}}
        """
    }

    static func sendTimes(_ journeys: [String], profile: [String: JSONValue], now: Date, horizonDays: Double) throws -> [Date] {
        let catalog = JourneyCatalog(journeys: try journeys.map(Fixture.journey))
        var simulator = JourneySimulator(catalog: catalog, start: now)
        let identify = Event(type: .identify, messageId: "i-1", userId: "u1", traits: profile, timestamp: now)
        simulator.replay([identify], horizon: horizonDays * 86_400)
        return Fixture.sends(simulator.effects).map(\.requestedAt)
    }

    @Test func cyberMondayComesRoundEveryYear() throws {
        let now = Date()
        let json = Self.date(trigger: #""recurring": {"every": "year", "month": 11, "weekday": "thu", "nth": 4, "nextWeekday": "mon"}"#)
        let sends = try Self.sendTimes([json], profile: ["email": "a@b.c"], now: now, horizonDays: 3 * 366)
        let expected = Self.upcoming(3, weekday: 2, hour: 8, after: now)
        #expect(sends == expected.filter { $0 <= now.addingTimeInterval(3 * 366 * 86_400) }, "\(sends) vs \(expected)")
        #expect(sends.count >= 2)
        let calendar = Self.calendar(Self.newYork)
        #expect(sends.allSatisfy { calendar.component(.weekday, from: $0) == 2 && calendar.component(.hour, from: $0) == 8 })
    }

    @Test func theLastFridayOfEveryMonth() throws {
        let now = Date()
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let json = Self.date(trigger: #""recurring": {"every": "month", "weekday": "fri", "nth": -1}"#, time: "17:30")
        let sends = try Self.sendTimes([json], profile: ["timezone": "Europe/Berlin"], now: now, horizonDays: 200)
        let calendar = Self.calendar(zone)
        let parts = calendar.dateComponents([.year, .month], from: now)
        let expected = (0..<9).compactMap { step -> Date? in
            let index = parts.year! * 12 + parts.month! - 1 + step
            let last = Self.days(year: index / 12, month: index % 12 + 1, zone: zone).last { calendar.component(.weekday, from: $0) == 6 }!
            let moment = Self.at(last, 17, 30, zone: zone)
            return moment > now && moment <= now.addingTimeInterval(200 * 86_400) ? moment : nil
        }
        #expect(sends == expected)
        #expect(sends.count >= 6)
    }

    @Test func dayRulesCountFromEitherEndAndSkipMonthsWithoutTheDay() throws {
        let now = Date()
        let calendar = Self.calendar(TimeZone(identifier: "UTC")!)
        let year = calendar.component(.year, from: now)
        let rule = { (json: String) in try JSONDecoder().decode(CalendarRule.self, from: Data(json.utf8)) }
        for month in 1...12 {
            let days = Self.days(year: year, month: month, zone: TimeZone(identifier: "UTC")!)
            let last = try #require(LocalCalendar.day(of: try rule(#"{"every": "month", "day": -1}"#), year: year, month: month))
            #expect(last.day == days.count)
            let thirtyFirst = try #require(LocalCalendar.day(of: try rule(#"{"every": "month", "day": 31}"#), year: year, month: month))
            #expect(thirtyFirst.day == days.count, "clamped to the month's last day")
            let fridays = days.filter { calendar.component(.weekday, from: $0) == 6 }.map { calendar.component(.day, from: $0) }
            let fifth = LocalCalendar.day(of: try rule(#"{"every": "month", "weekday": "fri", "nth": 5}"#), year: year, month: month)
            #expect(fifth?.day == (fridays.count == 5 ? fridays[4] : nil), "month \(month)")
            let secondLast = LocalCalendar.day(of: try rule(#"{"every": "month", "weekday": "fri", "nth": -2}"#), year: year, month: month)
            #expect(secondLast?.day == fridays[fridays.count - 2])
        }
    }

    @Test func aWeekBeforeAProfileDateOnceAndADayBeforeEachBirthday() throws {
        let now = Date()
        let calendar = Self.calendar(Self.newYork)
        let renewal = calendar.date(byAdding: .day, value: 30, to: now)!
        let renewalText = String(format: "%04d-%02d-%02d", calendar.component(.year, from: renewal), calendar.component(.month, from: renewal), calendar.component(.day, from: renewal))
        let json = Self.date(trigger: #""trait": "renewal_date", "anniversary": false"#, time: "10:00", extra: #", "offset": "-7d""#)
        let sends = try Self.sendTimes([json], profile: ["renewal_date": .string(renewalText)], now: now, horizonDays: 800)
        #expect(sends == [Self.at(calendar.date(byAdding: .day, value: -7, to: renewal)!, 10, zone: Self.newYork)], "once, not every year")

        // The annual form with an offset: the day before each birthday, across the turn of the year too.
        let birthday = calendar.date(byAdding: .day, value: 3, to: now)!
        let birthdayText = String(format: "1990-%02d-%02d", calendar.component(.month, from: birthday), calendar.component(.day, from: birthday))
        let annual = Self.date(trigger: #""trait": "birthday""#, time: "09:00", extra: #", "offset": "-1d""#)
        let eves = try Self.sendTimes([annual], profile: ["birthday": .string(birthdayText)], now: now, horizonDays: 400)
        let eve = Self.at(calendar.date(byAdding: .day, value: 2, to: now)!, 9, zone: Self.newYork)
        #expect(eves.first == eve)
        #expect(eves.count == 2 && calendar.component(.day, from: eves[1]) == calendar.component(.day, from: eve), "a year later: \(eves)")
    }

    @Test func theShippedCyberMondayJourneysRunEveryYearAndRaiseNoWarning() throws {
        let directory = Fixture.root.appendingPathComponent("config/journeys")
        let now = Date()
        let warnings = JourneyValidator.warnings(directory: directory, now: now)
        #expect(!warnings.contains { $0.file.contains("cyber") }, "\(warnings)")
        // In ten years' time too.
        #expect(JourneyValidator.warnings(directory: directory, now: now.addingTimeInterval(3650 * 86_400)).filter { $0.file.contains("cyber") }.isEmpty)
        let catalog = try JourneyCatalog.load(directory: directory)
        var simulator = JourneySimulator(catalog: catalog, start: now)
        simulator.replay([Event(type: .identify, messageId: "i-1", userId: "u1", traits: ["email": "a@b.c", "timezone": "America/New_York", "marketingOptIn": true], timestamp: now)], horizon: 2 * 366 * 86_400)
        let sends = Fixture.sends(simulator.effects).filter { $0.journey.hasPrefix("cyber-monday") }
        let horizon = now.addingTimeInterval(2 * 366 * 86_400)
        for (journey, weekday, hour) in [("cyber-monday-presale", 6, 9), ("cyber-monday-launch", 2, 8), ("cyber-monday-last-call", 2, 20)] {
            let expected = Self.upcoming(3, weekday: weekday, hour: hour, after: now).filter { $0 <= horizon }
            #expect(sends.filter { $0.journey == journey }.map(\.requestedAt) == expected, "\(journey)")
            #expect(expected.count >= 2)
        }
    }

    @Test func warningsNameAPassedMomentAndARecurringDateUnderReentryNever() throws {
        let calendar = Self.calendar(TimeZone(identifier: "UTC")!)
        let lastYear = calendar.component(.year, from: Date()) - 1
        let passed = Self.date(trigger: #""moment": "\#(lastYear)-11-30T08:00""#).replacingOccurrences(of: #", "time": "08:00""#, with: "")
        #expect(JourneyValidator.warnings(data: Data(passed.utf8), file: "p.json", now: Date()).map(\.path) == ["$.trigger.date.moment"])
        let never = Self.date(trigger: #""recurring": {"every": "month", "day": 1}"#).replacingOccurrences(of: "afterExit", with: "never")
        #expect(JourneyValidator.warnings(data: Data(never.utf8), file: "n.json", now: Date()).map(\.path) == ["$.entry.reentry"])
    }

    @Test func badRulesAreReportedWithTheirPaths() {
        func paths(_ trigger: String, extra: String = "") -> [String] {
            JourneyValidator.validate(data: Data(Self.date(trigger: trigger, extra: extra).utf8), file: "d.json").map(\.path)
        }
        #expect(paths(#""recurring": {"every": "year", "weekday": "thu", "nth": 4}"#) == ["$.trigger.date.recurring.month"])
        #expect(paths(#""recurring": {"every": "month", "month": 3, "day": 1}"#) == ["$.trigger.date.recurring.month"])
        #expect(paths(#""recurring": {"every": "month", "weekday": "thu"}"#) == ["$.trigger.date.recurring.nth"])
        #expect(paths(#""recurring": {"every": "month", "weekday": "thu", "nth": 6}"#) == ["$.trigger.date.recurring.nth"])
        #expect(paths(#""recurring": {"every": "month", "day": 0}"#) == ["$.trigger.date.recurring.day"])
        #expect(paths(#""recurring": {"every": "month", "day": 3, "weekday": "mon", "nth": 1}"#).contains("$.trigger.date.recurring"))
        #expect(paths(#""recurring": {"every": "week", "day": 3}"#) == ["$.trigger.date.recurring.every"])
        #expect(paths(#""recurring": {"every": "month", "day": 3, "weekdya": "mon"}"#) == ["$.trigger.date.recurring.weekdya"])
        #expect(paths(#""trait": "renewal_date""#, extra: #", "offset": "-12h""#) == ["$.trigger.date.offset"])
        #expect(paths(#""trait": "renewal_date", "recurring": {"every": "month", "day": 1}"#) == ["$.trigger.date"])
        #expect(paths(#""recurring": {"every": "month", "day": 1}, "anniversary": false"#) == ["$.trigger.date.anniversary"])
    }

    @Test func aWindowAcrossMidnightIsOpenOnBothSidesOfIt() throws {
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let calendar = Self.calendar(zone)
        let window = TimeWindow(from: LocalTime("22:00")!, to: LocalTime("06:00")!)
        // A day from the clock, and the next Friday after it.
        let today = calendar.startOfDay(for: Date())
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: today)!
        #expect(LocalCalendar.nextOpening(of: window, after: Self.at(today, 23, zone: zone), zone: zone) == Self.at(today, 23, zone: zone), "inside before midnight")
        #expect(LocalCalendar.nextOpening(of: window, after: Self.at(tomorrow, 3, zone: zone), zone: zone) == Self.at(tomorrow, 3, zone: zone), "inside after midnight")
        #expect(LocalCalendar.nextOpening(of: window, after: Self.at(today, 12, zone: zone), zone: zone) == Self.at(today, 22, zone: zone), "waits for the evening")
        #expect(LocalCalendar.nextOpening(of: window, after: Self.at(today, 6, zone: zone), zone: zone) == Self.at(today, 22, zone: zone), "closed at 06:00")

        var friday = tomorrow
        while calendar.component(.weekday, from: friday) != 6 { friday = calendar.date(byAdding: .day, value: 1, to: friday)! }
        let saturday = calendar.date(byAdding: .day, value: 1, to: friday)!
        let fridays = TimeWindow(from: LocalTime("22:00")!, to: LocalTime("06:00")!, days: [.fri])
        #expect(LocalCalendar.nextOpening(of: fridays, after: Self.at(saturday, 2, zone: zone), zone: zone) == Self.at(saturday, 2, zone: zone), "Friday's window runs into Saturday")
        #expect(LocalCalendar.nextOpening(of: fridays, after: Self.at(saturday, 23, zone: zone), zone: zone) == Self.at(calendar.date(byAdding: .day, value: 7, to: friday)!, 22, zone: zone))
        #expect(LocalCalendar.nextOpening(of: fridays, after: Self.at(friday, 21, zone: zone), zone: zone) == Self.at(friday, 22, zone: zone))
    }

    @Test func aNightWindowStepWaitsForTheNight() throws {
        let zone = TimeZone(identifier: "Asia/Tokyo")!
        let json = """
            {"id": "night", "trigger": {"behaviour": {"event": "Go"}},
             "steps": [{"id": "dark", "wait": {"window": {"from": "22:00", "to": "06:00"}}}, {"id": "mail", "send": {"channel": "email", "template": "night"}}],
             "defaults": {"timeZone": "Asia/Tokyo"}}
            """
        #expect(JourneyValidator.validate(data: Data(json.utf8), file: "night.json").isEmpty)
        let catalog = try Fixture.catalog(json)
        let noon = Self.at(Self.calendar(zone).startOfDay(for: Date()), 12, zone: zone)
        let simulator = Fixture.simulate(catalog, [Event(type: .track, messageId: "g", userId: "u1", event: "Go", timestamp: noon)])
        #expect(Fixture.sends(simulator.effects).map(\.requestedAt) == [noon.addingTimeInterval(10 * 3600)])
    }
}
