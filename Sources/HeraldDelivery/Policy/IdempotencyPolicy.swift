import Foundation
import HeraldCore

/// At most one provider call per idempotency key: claim the key before calling the provider,
/// record the provider's answer as soon as it returns, give the claim back after a failure.
///
/// `decideClaim` is the pure form of `DeliveryScripts.idempotencyClaim`; the sender uses it for the
/// `SET NX GET` fast path and runs the script only when the key is already held, and the tests
/// check that both decide alike.
public struct IdempotencyPolicy: Sendable, Hashable {
    /// How long a claim protects a provider call. It must outlast the slowest provider call plus
    /// the time to record its outcome: a claim older than this whose holder recorded nothing is
    /// treated as abandoned (its holder stopped).
    public var lease: TimeInterval
    /// How long `sent:` and `unknown:` markers are kept (longer than any redelivery or replay window).
    public var sentRetention: TimeInterval
    /// What to do with an abandoned claim, per category.
    public var uncertain: UncertainSendPolicies

    /// Creates a policy: a 60 s lease and 30 days' retention by default.
    public init(lease: TimeInterval = 60, sentRetention: TimeInterval = 30 * 86_400, uncertain: UncertainSendPolicies = UncertainSendPolicies()) {
        self.lease = lease
        self.sentRetention = sentRetention
        self.uncertain = uncertain
    }

    /// The default lease for a provider whose calls time out after `providerTimeout`: twice that
    /// plus ten seconds for recording, and never under 30 s.
    public static func defaultLease(providerTimeout: TimeInterval) -> TimeInterval {
        max(30, providerTimeout * 2 + 10)
    }

    /// Decides a claim from the key's current value (`nil`: absent).
    public func decideClaim(existing: String?, consumer: String, category: MessageCategory, now: Date) -> IdempotencyClaimDecision {
        guard let existing else { return .claimed }
        switch IdempotencyMarker(existing) {
        case .sent(let providerMessageId)?:
            return .alreadySent(providerMessageId: providerMessageId)
        case .unknown(_, let previous)?:
            return .unknown(previousConsumer: previous)
        case .claimed(let at, _, let holder)?:
            if holder == consumer { return .claimed }
            let expiresAt = IdempotencyMarker.milliseconds(at) + Self.milliseconds(lease)
            if IdempotencyMarker.milliseconds(now) < expiresAt {
                return .busy(holder: holder, leaseExpiresAt: IdempotencyMarker.date(expiresAt))
            }
            switch uncertain.policy(for: category) {
            case .resend: return .takenOver(previousConsumer: holder)
            case .park: return .parked(previousConsumer: holder)
            }
        case nil:
            return .unreadable(value: existing)
        }
    }

    /// ARGV for `DeliveryScripts.idempotencyClaim`.
    public func claimArguments(consumer: String, attempt: Int, category: MessageCategory, now: Date) -> [String] {
        [consumer, String(attempt), String(IdempotencyMarker.milliseconds(now)), String(Self.milliseconds(lease)),
         uncertain.policy(for: category).rawValue, String(Self.milliseconds(sentRetention))]
    }

    static func milliseconds(_ interval: TimeInterval) -> Int64 {
        Int64((interval * 1000).rounded())
    }
}
