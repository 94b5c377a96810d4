import Foundation

/// The last message an instance sent, for goal attribution.
public struct SentMessage: Sendable, Hashable, Codable {
    /// The send step.
    public var step: String
    /// The request's idempotency key.
    public var idempotencyKey: String
    /// When it was requested.
    public var at: Date

    /// Creates a record.
    public init(step: String, idempotencyKey: String, at: Date) {
        self.step = step
        self.idempotencyKey = idempotencyKey
        self.at = at
    }
}
