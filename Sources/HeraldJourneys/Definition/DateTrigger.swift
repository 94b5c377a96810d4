import HeraldCore

/// Enters on a date, in the user's time zone: every year on the day of a profile date trait (or
/// once on that date), on a recurring calendar day, or once at a fixed local `moment`
/// (`2026-11-27T09:00`); the trait and recurring forms take an `offset` in whole days.
public struct DateTrigger: Sendable, Hashable, Codable {
    /// Trait form: the profile trait holding a date (`birthday`, `renewal_date`).
    public var trait: String?
    /// Trait form: `true` (default) every year on the trait's month and day; `false` once, on the trait's own date.
    public var anniversary: Bool?
    /// Recurring form: the calendar rule.
    public var recurring: CalendarRule?
    /// Trait and recurring forms: the local time of day; default 09:00.
    public var time: LocalTime?
    /// Trait and recurring forms: whole days added to the date, e.g. `-7d` (a week before) or `1w`.
    public var offset: String?
    /// Fixed form: a local date-time `YYYY-MM-DDTHH:MM`.
    public var moment: String?
    /// A condition over `profile.*` checked when the date arrives.
    public var filter: JourneyCondition?

    private enum CodingKeys: String, CodingKey {
        case trait, anniversary, recurring, time, offset, moment
        case filter = "where"
    }

    /// Creates a date trigger.
    public init(
        trait: String? = nil, anniversary: Bool? = nil, recurring: CalendarRule? = nil, time: LocalTime? = nil, offset: String? = nil,
        moment: String? = nil, filter: JourneyCondition? = nil
    ) {
        self.trait = trait
        self.anniversary = anniversary
        self.recurring = recurring
        self.time = time
        self.offset = offset
        self.moment = moment
        self.filter = filter
    }

    /// The offset in whole days (0 when absent); `nil` when malformed or not whole days.
    public var offsetDays: Int? {
        guard let offset else { return 0 }
        let negative = offset.hasPrefix("-")
        guard let duration = JourneyDuration(negative ? String(offset.dropFirst()) : offset), duration.seconds % 86_400 == 0 else {
            return nil
        }
        return (negative ? -1 : 1) * duration.seconds / 86_400
    }

    /// The fixed moment's local components, when the fixed form is used and well written.
    public var momentComponents: (year: Int, month: Int, day: Int, time: LocalTime)? {
        guard let moment else { return nil }
        let parts = moment.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let time = LocalTime(String(parts[1])) else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        return (year, month, day, time)
    }
}
