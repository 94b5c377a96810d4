import Foundation

/// Exactly-once effect for provider calls: claim the request's idempotency key before calling the
/// provider, record the provider's message id after, release the claim on failure.
///
/// `decideClaim` and `decideRecord` are the pure forms of `DeliveryScripts.idempotencyClaim` and
/// `DeliveryScripts.idempotencyRecord`; the sender runs the scripts, which decide the same way.
public struct IdempotencyPolicy: Sendable, Hashable {
    /// How long a claim protects a provider call; longer than the slowest provider call.
    public var lease: TimeInterval
    /// How long `sent:` markers are kept (longer than any redelivery or replay window).
    public var sentRetention: TimeInterval

    /// Creates a policy: a 60 s lease and 30 days' retention by default.
    public init(lease: TimeInterval = 60, sentRetention: TimeInterval = 30 * 86_400) {
        self.lease = lease
        self.sentRetention = sentRetention
    }

    /// The value a claim stores.
    public static func claimValue(consumer: String, now: Date) -> String {
        "claimed:\(consumer):\(milliseconds(now))"
    }

    /// The value a recorded send stores.
    public static func sentValue(providerMessageId: String) -> String {
        "sent:\(providerMessageId)"
    }

    /// Decides a claim from the key's current value (`nil`: absent). The new value, when the claim
    /// succeeds, is `claimValue(consumer:now:)`.
    public func decideClaim(existing: String?, consumer: String, now: Date) -> IdempotencyClaimDecision {
        guard let existing else { return .claimed }
        if existing.hasPrefix("sent:") { return .alreadySent(providerMessageId: String(existing.dropFirst(5))) }
        let body = existing.hasPrefix("claimed:") ? existing.dropFirst(8) : Substring("")
        guard let colon = body.lastIndex(of: ":"), let claimedAt = Int64(body[body.index(after: colon)...]) else {
            // Unreadable markers are errors in the script; the pure form stays conservative.
            return .busy(holder: "", leaseExpiresAt: now.addingTimeInterval(lease))
        }
        let holder = String(body[..<colon])
        if holder == consumer { return .claimed }
        let expiresAt = claimedAt + IdempotencyPolicy.milliseconds(lease)
        if IdempotencyPolicy.milliseconds(now) >= expiresAt { return .takenOver(previousConsumer: holder) }
        return .busy(holder: holder, leaseExpiresAt: Date(timeIntervalSince1970: Double(expiresAt) / 1000))
    }

    /// Decides a record from the key's current value.
    public func decideRecord(existing: String?, consumer: String) -> IdempotencyRecordOutcome {
        if let existing, existing.hasPrefix("sent:") { return .alreadySent(providerMessageId: String(existing.dropFirst(5))) }
        if let existing, existing.hasPrefix("claimed:\(consumer):") { return .recorded }
        return .recordedWithoutClaim(previousValue: existing ?? "")
    }

    /// ARGV for `DeliveryScripts.idempotencyClaim`.
    public func claimArguments(consumer: String, now: Date) -> [String] {
        [consumer, String(IdempotencyPolicy.milliseconds(now)), String(IdempotencyPolicy.milliseconds(lease))]
    }

    /// ARGV for `DeliveryScripts.idempotencyRecord`.
    public func recordArguments(consumer: String, providerMessageId: String) -> [String] {
        [consumer, providerMessageId, String(IdempotencyPolicy.milliseconds(sentRetention))]
    }

    /// ARGV for `DeliveryScripts.idempotencyRelease`.
    public func releaseArguments(consumer: String) -> [String] {
        [consumer]
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func milliseconds(_ interval: TimeInterval) -> Int64 {
        Int64((interval * 1000).rounded())
    }
}
