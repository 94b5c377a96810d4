/// Why a message is held for later.
public enum DeferReason: Sendable, Hashable, CustomStringConvertible {
    /// The user's quiet hours, in `zone`.
    case quietHours(zone: String)

    /// A stable code for delivery records and dashboards.
    public var code: String {
        switch self {
        case .quietHours: return "quiet_hours"
        }
    }

    /// E.g. `quiet_hours (America/New_York)`.
    public var description: String {
        switch self {
        case .quietHours(let zone): return "quiet_hours (\(zone))"
        }
    }
}
