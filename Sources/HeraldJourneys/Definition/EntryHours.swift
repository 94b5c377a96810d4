import HeraldCore

/// Local hours of an entry schedule, `from` inclusive and `to` exclusive; a `to` before `from`
/// (22:00–06:00) crosses midnight.
public struct EntryHours: Sendable, Hashable, Codable {
    /// Opens.
    public var from: LocalTime
    /// Closes.
    public var to: LocalTime

    /// Creates hours.
    public init(from: LocalTime, to: LocalTime) {
        self.from = from
        self.to = to
    }
}
