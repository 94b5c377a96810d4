import Foundation
import HeraldCore

/// At most one provider call per idempotency key: claim the key before calling the provider,
/// record the provider's answer as soon as it returns, give the claim back after a failure.
///
/// This type is the one definition of the idempotency decision. `claim`, `release` and `replay`
/// are the pure forms of `idempotency-claim.lua`, `idempotency-release.lua` and
/// `idempotency-replay.lua` (Redis needs the scripts to decide atomically); the key's value is
/// always an `IdempotencyMarker` (`claimed:<ms>:<attempt>:<consumer>`, `sent:<providerMessageId>`,
/// `unknown:<ms>:<consumer>`). The sender's `SET NX GET` fast path (`RedisSenderStore.claim`)
/// writes `claimWrite`'s marker for a free key and decides a held one with `claim`, running the
/// script only when that decision writes; `InMemorySenderStore` runs these functions directly;
/// and `IdempotencyScriptAgreementTests` runs the scripts on a real redis-server beside them over
/// one table of cases.
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

    /// Decides a claim from the key's current value (`nil`: absent): `claim`'s decision.
    public func decideClaim(existing: String?, consumer: String, category: MessageCategory, now: Date) -> IdempotencyClaimDecision {
        claim(existing: existing, consumer: consumer, attempt: 0, category: category, now: now).decision
    }

    /// One claim by `consumer` of a key holding `existing` (`nil`: absent), as
    /// `idempotency-claim.lua` makes it: a free key, or this consumer's own claim, is claimed
    /// (`claimed:<now_ms>:<attempt>:<consumer>` for two leases, so an expired claim is still seen);
    /// a `sent:` key is already sent; an `unknown:` key stays parked; another consumer's claim is
    /// busy until its lease ends, then taken over (`resend`) or parked as
    /// `unknown:<now_ms>:<holder>` for `unknownRetention` (`park`); any other value is unreadable
    /// and left as it is.
    public func claim(existing: String?, consumer: String, attempt: Int, category: MessageCategory, now: Date) -> IdempotencyClaimOutcome {
        let claimed = claimWrite(consumer: consumer, attempt: attempt, now: now)
        guard let existing else { return IdempotencyClaimOutcome(decision: .claimed, write: claimed) }
        switch IdempotencyMarker(existing) {
        case .sent(let providerMessageId)?:
            return IdempotencyClaimOutcome(decision: .alreadySent(providerMessageId: providerMessageId), write: nil)
        case .unknown(_, let previous)?:
            return IdempotencyClaimOutcome(decision: .unknown(previousConsumer: previous), write: nil)
        case .claimed(let at, _, let holder)?:
            if holder == consumer { return IdempotencyClaimOutcome(decision: .claimed, write: claimed) }
            let expiresAt = IdempotencyMarker.milliseconds(at) + Self.milliseconds(lease)
            if IdempotencyMarker.milliseconds(now) < expiresAt {
                return IdempotencyClaimOutcome(decision: .busy(holder: holder, leaseExpiresAt: IdempotencyMarker.date(expiresAt)), write: nil)
            }
            switch uncertain.policy(for: category) {
            case .resend:
                return IdempotencyClaimOutcome(decision: .takenOver(previousConsumer: holder), write: claimed)
            case .park:
                let parked = IdempotencyWrite(
                    marker: .unknown(at: IdempotencyMarker.date(IdempotencyMarker.milliseconds(now)), previousConsumer: holder),
                    retentionMilliseconds: Self.milliseconds(unknownRetention))
                return IdempotencyClaimOutcome(decision: .parked(previousConsumer: holder), write: parked)
            }
        case nil:
            return IdempotencyClaimOutcome(decision: .unreadable(value: existing), write: nil)
        }
    }

    /// The claim marker `consumer` stores when it claims a key at `now`, for two leases.
    public func claimWrite(consumer: String, attempt: Int, now: Date) -> IdempotencyWrite {
        IdempotencyWrite(
            marker: .claimed(at: IdempotencyMarker.date(IdempotencyMarker.milliseconds(now)), attempt: attempt, consumer: consumer),
            retentionMilliseconds: Self.milliseconds(lease) * 2)
    }

    /// Whether `consumer` may give back a key holding `existing` after a failed attempt
    /// (`idempotency-release.lua`): only its own `claimed:` marker, which is then deleted.
    public static func release(existing: String?, consumer: String) -> Bool {
        guard let existing, case .claimed(_, _, let holder)? = IdempotencyMarker(existing) else { return false }
        return holder == consumer
    }

    /// Whether an operator's replay clears a key holding `existing` (`idempotency-replay.lua`):
    /// only a parked one. The script tests the prefix alone, so a malformed `unknown:` value is
    /// cleared too.
    public static func replay(existing: String?) -> Bool {
        existing?.hasPrefix("unknown:") == true
    }

    /// The write that marks a key sent once the provider accepted the message: it replaces
    /// whatever the key held, for `sentRetention`.
    public func sentWrite(providerMessageId: String) -> IdempotencyWrite {
        IdempotencyWrite(marker: .sent(providerMessageId: providerMessageId), retentionMilliseconds: Self.milliseconds(sentRetention))
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
