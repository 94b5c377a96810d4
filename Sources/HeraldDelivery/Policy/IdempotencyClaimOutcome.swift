/// What one claim of an idempotency key decides, and what it leaves in the key: the pure form of
/// one `idempotency-claim.lua` call.
public struct IdempotencyClaimOutcome: Sendable, Hashable {
    /// The decision the caller acts on.
    public var decision: IdempotencyClaimDecision
    /// The value stored in the key; `nil`: the key is left as it was.
    public var write: IdempotencyWrite?

    /// Creates an outcome.
    public init(decision: IdempotencyClaimDecision, write: IdempotencyWrite?) {
        self.decision = decision
        self.write = write
    }
}
