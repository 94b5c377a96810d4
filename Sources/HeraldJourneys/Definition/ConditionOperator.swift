/// A comparison in a journey condition.
public enum ConditionOperator: String, Sendable, Hashable, Codable, CaseIterable {
    /// Equal (numbers compare numerically, numeric strings included).
    case eq
    /// Not equal.
    case ne
    /// Greater than (numbers, or strings such as ISO dates lexicographically).
    case gt
    /// Greater than or equal.
    case gte
    /// Less than.
    case lt
    /// Less than or equal.
    case lte
    /// A string contains the value as a substring, or an array contains it as an element.
    case contains
    /// The value is an array that contains the actual value.
    case `in`
    /// The path is present and not null.
    case exists
    /// The path is absent or null.
    case notExists
}
