/// A quiet-hours configuration that cannot be used.
public enum QuietHoursConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The window is not `HH:MM-HH:MM`.
    case invalidWindow(String)
    /// The fleet default zone is not in the system time zone database.
    case unknownFleetTimeZone(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidWindow(let text): return "quiet hours '\(text)' is not HH:MM-HH:MM (e.g. 21:00-08:00)"
        case .unknownFleetTimeZone(let zone): return "fleet default time zone '\(zone)' is not a known zone"
        }
    }
}
