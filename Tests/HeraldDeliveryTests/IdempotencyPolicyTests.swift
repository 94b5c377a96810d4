import Foundation
import Testing

@testable import HeraldDelivery

@Suite struct IdempotencyPolicyTests {
    let policy = IdempotencyPolicy(lease: 60)
    let now = Fixtures.date("2026-11-27T09:00:00Z")

    @Test func claimDecisions() {
        let claimedAt = IdempotencyPolicy.claimValue(consumer: "host:7:sender", now: now)
        #expect(claimedAt == "claimed:host:7:sender:\(Int64(now.timeIntervalSince1970 * 1000))")
        #expect(policy.decideClaim(existing: nil, consumer: "a", now: now) == .claimed)
        #expect(policy.decideClaim(existing: "sent:SM1", consumer: "a", now: now) == .alreadySent(providerMessageId: "SM1"))
        #expect(policy.decideClaim(existing: claimedAt, consumer: "host:7:sender", now: now.addingTimeInterval(5)) == .claimed)
        #expect(policy.decideClaim(existing: claimedAt, consumer: "b", now: now.addingTimeInterval(59.999))
            == .busy(holder: "host:7:sender", leaseExpiresAt: now.addingTimeInterval(60)))
        #expect(policy.decideClaim(existing: claimedAt, consumer: "b", now: now.addingTimeInterval(60)) == .takenOver(previousConsumer: "host:7:sender"))
        #expect(IdempotencyClaimDecision.alreadySent(providerMessageId: "x").mayDeliver == false)
        #expect(IdempotencyClaimDecision.takenOver(previousConsumer: "x").mayDeliver)
    }

    @Test func recordDecisions() {
        let mine = IdempotencyPolicy.claimValue(consumer: "a", now: now)
        #expect(policy.decideRecord(existing: mine, consumer: "a") == .recorded)
        #expect(policy.decideRecord(existing: IdempotencyPolicy.claimValue(consumer: "ab", now: now), consumer: "a")
            == .recordedWithoutClaim(previousValue: IdempotencyPolicy.claimValue(consumer: "ab", now: now)))
        #expect(policy.decideRecord(existing: nil, consumer: "a") == .recordedWithoutClaim(previousValue: ""))
        #expect(policy.decideRecord(existing: "sent:SM1", consumer: "a") == .alreadySent(providerMessageId: "SM1"))
    }

    @Test func argumentsAndReplies() {
        #expect(policy.claimArguments(consumer: "a", now: now) == ["a", String(Int64(now.timeIntervalSince1970 * 1000)), "60000"])
        #expect(policy.recordArguments(consumer: "a", providerMessageId: "SM1") == ["a", "SM1", "2592000000"])
        #expect(IdempotencyClaimDecision(reply: ["busy", "a", "1000"]) == .busy(holder: "a", leaseExpiresAt: Date(timeIntervalSince1970: 1)))
        #expect(IdempotencyClaimDecision(reply: ["claimed"]) == nil)
        #expect(IdempotencyRecordOutcome(reply: ["nope", ""]) == nil)
    }
}
