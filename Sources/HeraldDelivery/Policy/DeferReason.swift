/// Why a message is held for later.
public enum DeferReason: Sendable, Hashable {
    /// The user's quiet hours, in `zone`.
    case quietHours(zone: String)
}
