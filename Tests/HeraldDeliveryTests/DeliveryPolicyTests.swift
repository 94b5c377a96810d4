import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite struct DeliveryPolicyTests {
    // 22:00 in New York: inside quiet hours.
    let night = Fixtures.date("2026-11-27T03:00:00Z")
    // 10:00 in New York.
    let day = Fixtures.date("2026-11-27T15:00:00Z")
    let policy: DeliveryPolicy
    let ny: [String: JSONValue] = ["timezone": "America/New_York"]

    init() throws {
        policy = DeliveryPolicy(
            quietHours: try QuietHoursPolicy.parse(window: "21:00-08:00", fleetTimeZone: "UTC"),
            frequencyCaps: try FrequencyCapPolicy.parse("email=1/1d"))
    }

    private func decide(
        _ category: MessageCategory = .marketing, traits: [String: JSONValue]? = nil, suppression: SuppressionRecord = SuppressionRecord(),
        sends: [Date] = [], now: Date, policy: DeliveryPolicy? = nil
    ) -> DeliveryVerdict {
        (policy ?? self.policy).decide(
            request: Fixtures.request(channel: .email, category: category), recipient: "ada@example.com", traits: traits ?? ny,
            suppression: suppression, previousSends: sends, journeyTimeZone: nil, now: now)
    }

    @Test func sendsWhenNothingStandsInTheWay() {
        #expect(decide(now: day) == DeliveryVerdict(decision: .send))
    }

    @Test func suppressionComesBeforeQuietHours() {
        var traits = ny
        traits["unsubscribed"] = true
        #expect(decide(traits: traits, now: night).decision == .suppress(.globalUnsubscribe))
    }

    @Test func quietHoursComeBeforeCapsSoADeferredMessageTakesNoSlot() {
        let full = [night.addingTimeInterval(-3600)]
        #expect(decide(sends: full, now: night).decision
            == .deferred(until: Fixtures.date("2026-11-27T13:00:00Z"), reason: .quietHours(zone: "America/New_York")))
        #expect(decide(sends: full, now: day).decision == .suppress(.frequencyCap))
        #expect(DeferReason.quietHours(zone: "America/New_York").code == "quiet_hours")
        #expect("\(DeferReason.quietHours(zone: "America/New_York"))" == "quiet_hours (America/New_York)")
    }

    @Test func cappedMessagesCanBeHeldInstead() {
        var holding = policy
        holding.capOverflow = .deferUntilFree
        let sentAt = day.addingTimeInterval(-3600)
        #expect(decide(sends: [sentAt], now: day, policy: holding).decision
            == .capped(until: sentAt.addingTimeInterval(86_400), cap: FrequencyCap(channel: .email, limit: 1, window: 86_400)))
        #expect(holding.decision(for: .allowed) == .send)
    }

    @Test func transactionalSkipsQuietHoursAndCapsButNotBounces() {
        #expect(decide(.transactional, sends: [night, night], now: night).decision == .send)
        let bounced = SuppressionRecord(entries: [SuppressionEntry(channel: .email, address: "ada@example.com", reason: .hardBounce, since: night)])
        #expect(decide(.transactional, suppression: bounced, now: day).decision == .suppress(.hardBounce))
    }

    @Test func zoneWarningsTravelWithTheVerdict() {
        let verdict = decide(traits: ["timezone": "Mars/Olympus"], now: day)
        #expect(verdict.decision == .send)
        #expect(verdict.warnings == [ZoneWarning(source: .profile, value: "Mars/Olympus", usedInstead: "UTC")])
        let numeric = decide(traits: ["timezone": 5.5], now: day)
        #expect(numeric.warnings.map(\.value) == ["5.5"])
    }

    @Test func noQuietHoursConfigured() {
        let plain = DeliveryPolicy(frequencyCaps: FrequencyCapPolicy())
        #expect(decide(now: night, policy: plain) == DeliveryVerdict(decision: .send))
    }
}
