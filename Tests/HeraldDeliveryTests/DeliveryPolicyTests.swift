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
        let verdict = decide(now: day)
        #expect(verdict.decision == .send && verdict.warnings.isEmpty && !verdict.quietHoursWaived)
        // It says which zone quiet hours judged it in, and from which setting.
        #expect(verdict.zone?.name == "America/New_York" && verdict.zone?.source == .profile)
    }

    @Test func aJourneyThatWaivesQuietHoursSendsMarketingAtNight() {
        var request = Fixtures.request(channel: .email, category: .marketing)
        request.context["respectQuietHours"] = false
        let verdict = policy.decideBeforeCaps(
            request: request, recipient: "ada@example.com", traits: ny, suppression: SuppressionRecord(), journeyTimeZone: nil, now: night)
        #expect(verdict.decision == .send && verdict.quietHoursWaived && verdict.zone == nil)
        request.context["respectQuietHours"] = true
        #expect(policy.decideBeforeCaps(
            request: request, recipient: "ada@example.com", traits: ny, suppression: SuppressionRecord(), journeyTimeZone: nil, now: night
        ).decision == .deferred(until: Fixtures.date("2026-11-27T13:00:00Z"), reason: .quietHours(zone: "America/New_York")))
    }

    @Test func theZoneChoiceSaysWhichSettingItCameFromAndWhy() throws {
        let quiet = try QuietHoursPolicy.parse(window: "21:00-08:00", fleetTimeZone: "UTC")
        let journey = quiet.chooseZone(profileTimeZone: nil, journeyTimeZone: "Asia/Kolkata")
        #expect(journey.source == .journey && journey.warnings.isEmpty)
        #expect(journey.description == "Asia/Kolkata (the journey's defaults.timeZone; the profile sets none)")
        let invalid = quiet.chooseZone(profileTimeZone: "Mars/Olympus", journeyTimeZone: "Asia/Kolkata")
        #expect(invalid.source == .journey && invalid.warnings == [ZoneWarning(source: .profile, value: "Mars/Olympus", usedInstead: "Asia/Kolkata")])
        #expect(invalid.reason == "the journey's defaults.timeZone; profile timezone 'Mars/Olympus' is not a known zone")
        let fleet = quiet.chooseZone(profileTimeZone: nil, journeyTimeZone: nil)
        #expect(fleet.source == .fleet && fleet.reason == "the fleet's HERALD_TIME_ZONE; neither the profile nor the journey sets one")
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
        #expect(decide(.transactional, now: night) == DeliveryVerdict(decision: .send), "no zone is judged for a message quiet hours never hold")
    }
}
