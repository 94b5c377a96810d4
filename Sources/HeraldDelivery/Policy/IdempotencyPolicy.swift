import Foundation
import HeraldCore

/// At most one provider call per idempotency key: claim the key before calling the provider,
/// record the provider's answer as soon as it returns, give the claim back after a failure.
///
/// `decideClaim` is the pure form of `idempotency-claim.lua`; the sender uses it for the
/// `SET NX GET` fast path and runs the script only when the key is already held, and the tests
/// check that both decide alike.
public struct IdempotencyPolicy: Sendable, Hashable {
    /// How long a claim protects a provider call. It must outlast the slowest provider call plus
    /// the time to record its outcome: a claim older than this whose holder recorded nothing is
    /// treated as abandoned (its holder stopped).
    public var lease: TimeInterval
    /// How long a `sent:` marker is kept: as long as a redelivery of its outbox entry can still
    /// reach it (`derivedSentRetention`).
    public var sentRetention: TimeInterval
    /// How long an `unknown:` marker is kept: the time an operator has to replay a parked send
    /// (`heraldctl deliveries replay`). There are at most `HERALD_SEND_CONCURRENCY` of them per
    /// killed sender loop, so their memory does not matter.
    public var unknownRetention: TimeInterval
    /// What to do with an abandoned claim, per category.
    public var uncertain: UncertainSendPolicies

    /// Creates a policy: a 60 s lease, `sent:` markers for what the default worker settings derive
    /// and `unknown:` markers for 30 days by default.
    public init(
        lease: TimeInterval = 60, sentRetention: TimeInterval? = nil, unknownRetention: TimeInterval = 30 * 86_400,
        uncertain: UncertainSendPolicies = UncertainSendPolicies()
    ) {
        self.lease = lease
        self.sentRetention = sentRetention ?? Self.derivedSentRetention(claimIdle: 30, claimInterval: 5, maxDeliveries: 5, lease: lease)
        self.unknownRetention = unknownRetention
        self.uncertain = uncertain
    }

    /// What a sender outage may last while a recorded but unacknowledged outbox entry waits (its
    /// sender died between recording the send and `XACK`): a day.
    public static let defaultOutageAllowance: TimeInterval = 86_400

    /// How long a `sent:` marker must live. After a send is recorded, the only way back to its key
    /// is a redelivery of the same outbox entry: its sender died before `XACK`, so the entry is
    /// claimed after `claimIdle` (found within one `claimInterval`), and each of at most
    /// `maxDeliveries` deliveries may wait out a `lease` of another sender's claim. Retries,
    /// deferrals and caps all come before the claim, and a retry after a failure gives the claim
    /// back, so none of them meets a `sent:` marker. The entry waits for as long as no sender
    /// runs at all, hence `outageAllowance` on top.
    public static func derivedSentRetention(
        claimIdle: TimeInterval, claimInterval: TimeInterval, maxDeliveries: Int, lease: TimeInterval,
        outageAllowance: TimeInterval = defaultOutageAllowance
    ) -> TimeInterval {
        Double(max(1, maxDeliveries)) * (claimIdle + claimInterval + lease) + outageAllowance
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

    /// ARGV for `idempotency-claim.lua`.
    public func claimArguments(consumer: String, attempt: Int, category: MessageCategory, now: Date) -> [String] {
        [consumer, String(attempt), String(IdempotencyMarker.milliseconds(now)), String(Self.milliseconds(lease)),
         uncertain.policy(for: category).rawValue, String(Self.milliseconds(unknownRetention))]
    }

    static func milliseconds(_ interval: TimeInterval) -> Int64 {
        Int64((interval * 1000).rounded())
    }
}
