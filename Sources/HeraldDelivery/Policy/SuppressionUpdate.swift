import HeraldCore

/// A change to a user's suppression record, produced from a feedback event or a provider error.
public enum SuppressionUpdate: Sendable, Hashable {
    /// Add (or refresh) an entry.
    case add(SuppressionEntry)
    /// Remove the `unsubscribed` entries for a channel and category (`nil` category: all of them),
    /// after the user subscribes again. Deliverability entries (bounces, complaints) stay.
    case resubscribe(channel: Channel, category: MessageCategory?)
}
