import HeraldDelivery

/// A user's suppression record as stored (`Keyspace.suppression`): a missing key is an empty record.
public enum EvaluatorStoredSuppression: Sendable, Hashable {
    /// The record (empty when none is stored).
    case record(SuppressionRecord)
    /// The stored value does not decode, or the key is of another type; the reason.
    case unreadable(String)
}
