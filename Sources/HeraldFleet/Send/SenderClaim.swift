import HeraldCore

/// One idempotency key a batch claims before calling the provider
/// (`herald:{pN}:sent:<idempotencyKey>`).
public struct SenderClaim: Sendable, Hashable {
    /// The user's partition.
    public var partition: Int
    /// The request's idempotency key.
    public var idempotencyKey: String
    /// The request's 0-based attempt, stored in the claim marker.
    public var attempt: Int
    /// The request's category: what an abandoned claim becomes depends on it.
    public var category: MessageCategory

    /// Creates a claim.
    public init(partition: Int, idempotencyKey: String, attempt: Int, category: MessageCategory) {
        self.partition = partition
        self.idempotencyKey = idempotencyKey
        self.attempt = attempt
        self.category = category
    }
}
