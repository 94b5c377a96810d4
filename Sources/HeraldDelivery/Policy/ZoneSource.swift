/// Where a time zone is configured, in the order quiet hours try them (the fleet default last).
public enum ZoneSource: String, Sendable, Hashable {
    /// The profile's `timezone` trait.
    case profile
    /// The journey's default zone.
    case journey
}
