/// Enters on a date: every year on the day of a profile date trait at a local `time`, or once at a
/// fixed local `moment` (`2026-11-27T09:00`), both in the user's time zone.
public struct DateTrigger: Sendable, Hashable, Codable {
    /// Annual form: the profile trait holding a date (`birthday`, `signedUpAt`).
    public var trait: String?
    /// Annual form: the local time of day; default 09:00.
    public var time: LocalTime?
    /// Fixed form: a local date-time `YYYY-MM-DDTHH:MM`.
    public var moment: String?
    /// A condition over `profile.*` checked when the date arrives.
    public var filter: JourneyCondition?

    private enum CodingKeys: String, CodingKey {
        case trait, time, moment
        case filter = "where"
    }

    /// Creates a date trigger.
    public init(trait: String? = nil, time: LocalTime? = nil, moment: String? = nil, filter: JourneyCondition? = nil) {
        self.trait = trait
        self.time = time
        self.moment = moment
        self.filter = filter
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
