import Foundation
import Testing

@testable import HeraldDelivery

@Suite struct IdempotencyPolicyTests {
    let policy = IdempotencyPolicy(lease: 60)
    let now = Fixtures.date("2026-11-27T09:00:00Z")

    @Test func markersRoundTripAndRejectOtherText() {
        let at = Date(timeIntervalSince1970: Double(IdempotencyMarker.milliseconds(now)) / 1000)
        for marker in [IdempotencyMarker.claimed(at: at, attempt: 3, consumer: "host:7:sender"), .sent(providerMessageId: "<a:b@c>"), .unknown(at: at, previousConsumer: "x:y")] {
            #expect(IdempotencyMarker(marker.encoded) == marker)
        }
        #expect(IdempotencyMarker.claimed(at: at, attempt: 0, consumer: "c").encoded == "claimed:\(IdempotencyMarker.milliseconds(now)):0:c")
        for text in ["", "claimed:", "claimed:x:1:c", "claimed:1:c", "unknown:c", "other"] { #expect(IdempotencyMarker(text) == nil) }
    }

    @Test func sentMarkersLiveAsLongAsARedeliveryCanReachThem() {
        // Five deliveries, each found within 30 s idle + 5 s interval and waiting out a 60 s lease, plus a day's outage.
        #expect(IdempotencyPolicy.derivedSentRetention(claimIdle: 30, claimInterval: 5, maxDeliveries: 5, lease: 60) == 5 * 95 + 86_400)
        #expect(IdempotencyPolicy(lease: 60).sentRetention == 5 * 95 + 86_400, "the default follows the default worker settings")
        #expect(IdempotencyPolicy(lease: 60).sentRetention < 2 * 86_400, "not 30 days")
        let arguments = IdempotencyPolicy(lease: 60, unknownRetention: 3600).claimArguments(consumer: "c", attempt: 0, category: .marketing, now: now)
        #expect(arguments.last == "3600000", "unknown: markers keep their own retention")
    }

    @Test func claimDecisionsPerCategory() {
        let claimed = IdempotencyMarker.claimed(at: now, attempt: 0, consumer: "host:7:sender").encoded
        #expect(policy.decideClaim(existing: nil, consumer: "a", category: .marketing, now: now) == .claimed)
        #expect(policy.decideClaim(existing: "sent:SM1", consumer: "a", category: .marketing, now: now) == .alreadySent(providerMessageId: "SM1"))
        #expect(policy.decideClaim(existing: claimed, consumer: "host:7:sender", category: .marketing, now: now.addingTimeInterval(5)) == .claimed)
        #expect(policy.decideClaim(existing: claimed, consumer: "b", category: .marketing, now: now.addingTimeInterval(59.999))
            == .busy(holder: "host:7:sender", leaseExpiresAt: now.addingTimeInterval(60)))
        #expect(policy.decideClaim(existing: claimed, consumer: "b", category: .transactional, now: now.addingTimeInterval(60)) == .takenOver(previousConsumer: "host:7:sender"))
        #expect(policy.decideClaim(existing: claimed, consumer: "b", category: .marketing, now: now.addingTimeInterval(60)) == .parked(previousConsumer: "host:7:sender"))
        var resendAll = policy
        resendAll.uncertain = UncertainSendPolicies(transactional: .park, marketing: .resend)
        #expect(resendAll.decideClaim(existing: claimed, consumer: "b", category: .marketing, now: now.addingTimeInterval(60)) == .takenOver(previousConsumer: "host:7:sender"))
        #expect(resendAll.decideClaim(existing: claimed, consumer: "b", category: .transactional, now: now.addingTimeInterval(60)) == .parked(previousConsumer: "host:7:sender"))
        #expect(policy.decideClaim(existing: "unknown:1:x", consumer: "b", category: .transactional, now: now) == .unknown(previousConsumer: "x"))
        #expect(policy.decideClaim(existing: "garbage", consumer: "b", category: .transactional, now: now) == .unreadable(value: "garbage"))
        #expect(IdempotencyClaimDecision.alreadySent(providerMessageId: "x").mayDeliver == false)
        #expect(IdempotencyClaimDecision.parked(previousConsumer: "x").mayDeliver == false)
        #expect(IdempotencyClaimDecision.takenOver(previousConsumer: "x").mayDeliver)
    }

    @Test func uncertainPoliciesParseAndRefuseTypos() throws {
        #expect(try UncertainSendPolicies.parse("") == UncertainSendPolicies(transactional: .resend, marketing: .park))
        #expect(try UncertainSendPolicies.parse("marketing=resend") == UncertainSendPolicies(transactional: .resend, marketing: .resend))
        #expect(try UncertainSendPolicies.parse("transactional=park, marketing=park") == UncertainSendPolicies(transactional: .park, marketing: .park))
        #expect(throws: UncertainSendPolicyError.invalidPart("marketing=drop")) { try UncertainSendPolicies.parse("marketing=drop") }
        #expect(throws: UncertainSendPolicyError.unknownCategory("promo")) { try UncertainSendPolicies.parse("promo=park") }
    }

    @Test func leaseOutlastsTheProviderCall() {
        #expect(IdempotencyPolicy.defaultLease(providerTimeout: 5) == 30)
        #expect(IdempotencyPolicy.defaultLease(providerTimeout: 30) == 70)
    }

    @Test func argumentsAndReplies() {
        #expect(policy.claimArguments(consumer: "a", attempt: 1, category: .marketing, now: now)
            == ["a", "1", String(IdempotencyMarker.milliseconds(now)), "60000", "park", "2592000000"])
        #expect(IdempotencyClaimDecision(reply: ["busy", "a", "1000"]) == .busy(holder: "a", leaseExpiresAt: Date(timeIntervalSince1970: 1)))
        #expect(IdempotencyClaimDecision(reply: ["parked", "a", ""]) == .parked(previousConsumer: "a"))
        #expect(IdempotencyClaimDecision(reply: ["claimed"]) == nil)
    }
}
