import Foundation

/// One applied erasure's `herald:erasures` record: when, who asked, which request, and what was
/// erased; the store keeps the user's SHA-256, never the user.
public struct EvaluatorErasureRecord: Sendable, Hashable {
    /// The user erased.
    public var user: String
    /// Who asked (`properties.requestedBy`, else the event).
    public var requestedBy: String
    /// The request: the event's message id.
    public var request: String
    /// How many keys or entries of each family were erased.
    public var erased: [String: Int]
    /// When.
    public var at: Date

    /// Creates a record.
    public init(user: String, requestedBy: String, request: String, erased: [String: Int], at: Date) {
        self.user = user
        self.requestedBy = requestedBy
        self.request = request
        self.erased = erased
        self.at = at
    }
}
