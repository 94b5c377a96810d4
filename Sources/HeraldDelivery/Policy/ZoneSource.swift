/// Where a time zone is configured, in the order quiet hours try them.
public enum ZoneSource: String, Sendable, Hashable {
    /// The profile's `timezone` trait.
    case profile
    /// The journey's `defaults.timeZone`.
    case journey
    /// The fleet's default (`HERALD_TIME_ZONE`, UTC when unset), used when neither of the others
    /// names a usable zone.
    case fleet

    /// The setting, as an operator would look for it, e.g. `the journey's defaults.timeZone`.
    public var setting: String {
        switch self {
        case .profile: return "the profile's timezone trait"
        case .journey: return "the journey's defaults.timeZone"
        case .fleet: return "the fleet's HERALD_TIME_ZONE"
        }
    }
}
