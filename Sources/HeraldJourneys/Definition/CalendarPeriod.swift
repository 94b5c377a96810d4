/// How often a recurring calendar rule comes round.
public enum CalendarPeriod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Once a year, in the rule's `month`.
    case year
    /// Once a month.
    case month
}
