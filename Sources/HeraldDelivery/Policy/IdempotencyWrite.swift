import Foundation

/// A value an idempotency transition stores in the key (`herald:{pN}:sent:<idempotencyKey>`),
/// with how long it lives (`SET … PX`).
public struct IdempotencyWrite: Sendable, Hashable {
    /// The marker stored.
    public var marker: IdempotencyMarker
    /// How long the key lives, in whole milliseconds (the `PX` argument).
    public var retentionMilliseconds: Int64

    /// Creates a write.
    public init(marker: IdempotencyMarker, retentionMilliseconds: Int64) {
        self.marker = marker
        self.retentionMilliseconds = retentionMilliseconds
    }
}
