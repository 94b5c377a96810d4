/// A day that comes round every year or month, by day of month or by weekday: the fourth
/// Thursday of November, the last Friday of the month, the 15th, the last day of the month.
///
/// JSON: `{"every": "year", "month": 11, "weekday": "thu", "nth": 4, "nextWeekday": "mon"}` is the
/// Monday after the fourth Thursday of November (Cyber Monday) every year.
public struct CalendarRule: Sendable, Hashable, Codable {
    /// `year` or `month`.
    public var every: CalendarPeriod
    /// The month, 1–12; only (and required) for `every: year`.
    public var month: Int?
    /// Day-of-month form: 1–31 (clamped to the month's last day), or −1…−31 counting from the end (−1 is the last day).
    public var day: Int?
    /// Weekday form: the weekday.
    public var weekday: Weekday?
    /// Weekday form: which one, 1–5 from the start or −1…−5 from the end (−1 is the last);
    /// a month without a fifth such weekday is skipped.
    public var nth: Int?
    /// Moves to the first such weekday strictly after the day the rule names (`thu` 4 then `mon`: Cyber Monday).
    public var nextWeekday: Weekday?

    /// Creates a rule.
    public init(
        every: CalendarPeriod, month: Int? = nil, day: Int? = nil, weekday: Weekday? = nil, nth: Int? = nil, nextWeekday: Weekday? = nil
    ) {
        self.every = every
        self.month = month
        self.day = day
        self.weekday = weekday
        self.nth = nth
        self.nextWeekday = nextWeekday
    }
}
