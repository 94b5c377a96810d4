/// A time zone that could not be used, reported with the decision instead of being dropped.
public struct ZoneWarning: Sendable, Hashable, CustomStringConvertible {
    /// Which setting held it.
    public var source: ZoneSource
    /// The unusable value, as given.
    public var value: String
    /// The zone used instead.
    public var usedInstead: String

    /// Creates a warning.
    public init(source: ZoneSource, value: String, usedInstead: String) {
        self.source = source
        self.value = value
        self.usedInstead = usedInstead
    }

    /// E.g. `profile timezone 'Mars/Olympus' is not a known zone; used 'Europe/Paris'`.
    public var description: String {
        "\(source.rawValue) timezone '\(value)' is not a known zone; used '\(usedInstead)'"
    }
}
