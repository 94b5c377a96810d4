import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite struct ConsentPolicyTests {
    let policy = ConsentPolicy()
    let now = Fixtures.date("2026-11-27T09:00:00Z")

    private func decide(
        _ channel: Channel = .email, _ category: MessageCategory = .marketing, recipient: String? = "ada@example.com",
        traits: [String: JSONValue] = [:], suppression: SuppressionRecord = SuppressionRecord(), policy: ConsentPolicy? = nil
    ) -> ConsentDecision {
        (policy ?? self.policy).evaluate(channel: channel, category: category, recipient: recipient, traits: traits, suppression: suppression)
    }

    @Test func allowsByDefault() {
        #expect(decide() == .allow)
        #expect(decide(.sms, .transactional, recipient: "+15551234567") == .allow)
    }

    @Test func globalUnsubscribeBlocksMarketingOnly() {
        #expect(decide(traits: ["unsubscribed": true]) == .suppress(.globalUnsubscribe))
        #expect(decide(traits: ["unsubscribed": "true"]) == .suppress(.globalUnsubscribe))
        #expect(decide(.email, .transactional, traits: ["unsubscribed": true]) == .allow)
        #expect(decide(traits: ["unsubscribed": false]) == .allow)
    }

    @Test func marketingConsentIsPerChannel() {
        let traits: [String: JSONValue] = ["marketingConsent": ["email": false, "sms": true]]
        #expect(decide(.email, traits: traits) == .suppress(.noMarketingConsent))
        #expect(decide(.sms, recipient: "+15551234567", traits: traits) == .allow)
        #expect(decide(.email, .transactional, traits: traits) == .allow)
        #expect(decide(.push, recipient: "tok", traits: ["marketingConsent": false]) == .suppress(.noMarketingConsent))
    }

    @Test func optInModeNeedsExplicitConsent() {
        let strict = ConsentPolicy(requireExplicitMarketingConsent: true)
        #expect(decide(policy: strict) == .suppress(.noMarketingConsent))
        #expect(decide(traits: ["marketingConsent": ["email": true]], policy: strict) == .allow)
        #expect(decide(.email, .transactional, policy: strict) == .allow)
    }

    @Test func channelOptOutBlocksMarketingOnThatChannel() {
        let traits: [String: JSONValue] = ["channels": ["email": ["optOut": true]]]
        #expect(decide(.email, traits: traits) == .suppress(.channelOptOut))
        #expect(decide(.sms, recipient: "+15551234567", traits: traits) == .allow)
        #expect(decide(.email, .transactional, traits: traits) == .allow)
    }

    @Test func hardBounceBlocksTransactionalToThatAddressOnly() {
        let record = SuppressionRecord(entries: [
            SuppressionEntry(channel: .email, address: "Ada@Example.com", reason: .hardBounce, since: now)
        ])
        #expect(decide(.email, .transactional, recipient: " ada@example.COM", suppression: record) == .suppress(.hardBounce))
        #expect(decide(.email, .marketing, suppression: record) == .suppress(.hardBounce))
        #expect(decide(.email, .transactional, recipient: "ada@elsewhere.org", suppression: record) == .allow)
        #expect(decide(.sms, .transactional, recipient: "+15551234567", suppression: record) == .allow)
    }

    @Test func unsubscribeEntryRespectsItsCategory() {
        let marketingOnly = SuppressionRecord(entries: [
            SuppressionEntry(channel: .email, category: .marketing, reason: .unsubscribed, since: now)
        ])
        #expect(decide(suppression: marketingOnly) == .suppress(.unsubscribed))
        #expect(decide(.email, .transactional, suppression: marketingOnly) == .allow)
        let everything = SuppressionRecord(entries: [SuppressionEntry(channel: .email, reason: .unsubscribed, since: now)])
        #expect(decide(.email, .transactional, suppression: everything) == .suppress(.unsubscribed))
    }

    @Test func deliverabilitySuppressionIsReportedBeforeAnUnsubscribe() {
        let record = SuppressionRecord(entries: [
            SuppressionEntry(channel: .email, category: .marketing, reason: .unsubscribed, since: now),
            SuppressionEntry(channel: .email, address: "ada@example.com", reason: .complaint, since: now),
        ])
        #expect(decide(suppression: record) == .suppress(.complaint))
    }

    @Test func addressedChannelsNeedARecipient() {
        #expect(decide(.email, .transactional, recipient: nil) == .suppress(.noRecipient))
        #expect(decide(.push, recipient: "") == .suppress(.noRecipient))
        #expect(decide(.inapp, recipient: nil) == .allow)
        #expect(decide(.webhook, .transactional, recipient: nil) == .allow)
    }

    @Test func requestFormUsesTheRequestsChannelAndCategory() {
        let request = Fixtures.request(channel: .email, category: .transactional)
        #expect(policy.evaluate(request, recipient: "a@b.c", traits: ["unsubscribed": true], suppression: SuppressionRecord()) == .allow)
    }
}
