import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite struct QuietHoursPolicyTests {
    let night: QuietHoursPolicy

    init() throws {
        night = try QuietHoursPolicy.parse(window: "21:00-08:00", fleetTimeZone: "UTC")
    }

    private func decide(_ now: String, profile: String? = "America/New_York", journey: String? = nil, policy: QuietHoursPolicy? = nil) -> QuietHoursDecision {
        (policy ?? night).decide(category: .marketing, now: Fixtures.date(now), profileTimeZone: profile, journeyTimeZone: journey)
    }

    @Test func defersALateEveningMessageToTheMorning() {
        // 22:00 EST → 08:00 EST the next day.
        #expect(decide("2026-11-27T03:00:00Z") == .deferred(until: Fixtures.date("2026-11-27T13:00:00Z"), zone: "America/New_York", warnings: []))
    }

    @Test func sendsDuringTheDay() {
        #expect(decide("2026-11-27T14:00:00Z") == .sendNow(zone: "America/New_York", warnings: []))
        #expect(decide("2026-11-28T01:59:59Z") == .sendNow(zone: "America/New_York", warnings: []))
    }

    @Test func windowBoundariesAreStartInclusiveEndExclusive() {
        #expect(decide("2026-11-28T02:00:00Z") == .deferred(until: Fixtures.date("2026-11-28T13:00:00Z"), zone: "America/New_York", warnings: []))
        #expect(decide("2026-11-27T13:00:00Z") == .sendNow(zone: "America/New_York", warnings: []))
        #expect(decide("2026-11-27T12:59:30Z") == .deferred(until: Fixtures.date("2026-11-27T13:00:00Z"), zone: "America/New_York", warnings: []))
    }

    @Test func afterMidnightDefersToTheSameMorning() {
        // 01:00 EST on the 27th → 08:00 EST on the 27th.
        #expect(decide("2026-11-27T06:00:00Z") == .deferred(until: Fixtures.date("2026-11-27T13:00:00Z"), zone: "America/New_York", warnings: []))
    }

    @Test func aWindowInsideOneDay() throws {
        let lunch = try QuietHoursPolicy.parse(window: "12:00-14:00", fleetTimeZone: "UTC")
        #expect(decide("2026-11-27T13:00:00Z", profile: nil, policy: lunch) == .deferred(until: Fixtures.date("2026-11-27T14:00:00Z"), zone: "UTC", warnings: []))
        #expect(decide("2026-11-27T11:59:00Z", profile: nil, policy: lunch) == .sendNow(zone: "UTC", warnings: []))
        #expect(decide("2026-11-27T22:00:00Z", profile: nil, policy: lunch) == .sendNow(zone: "UTC", warnings: []))
        let none = try QuietHoursPolicy.parse(window: "09:00-09:00", fleetTimeZone: "UTC")
        #expect(decide("2026-11-27T09:30:00Z", profile: nil, policy: none) == .sendNow(zone: "", warnings: []))
    }

    @Test func halfHourZones() {
        // 21:30 IST (+05:30) → 08:00 IST = 02:30 UTC next day.
        #expect(decide("2026-06-01T16:00:00Z", profile: "Asia/Kolkata") == .deferred(until: Fixtures.date("2026-06-02T02:30:00Z"), zone: "Asia/Kolkata", warnings: []))
        // 20:59 IST is still allowed.
        #expect(decide("2026-06-01T15:29:00Z", profile: "Asia/Kolkata") == .sendNow(zone: "Asia/Kolkata", warnings: []))
    }

    @Test func springForwardMorningUsesTheNewOffset() {
        // 22:00 EST on 7 March 2026; clocks go forward at 02:00 on the 8th, so 08:00 is EDT (12:00 UTC).
        #expect(decide("2026-03-08T03:00:00Z") == .deferred(until: Fixtures.date("2026-03-08T12:00:00Z"), zone: "America/New_York", warnings: []))
    }

    @Test func anEndInsideTheSpringForwardGapMovesToTheGapsEnd() throws {
        let policy = try QuietHoursPolicy.parse(window: "22:00-02:30", fleetTimeZone: "UTC")
        // 01:00 EST; 02:30 does not exist on 8 March 2026, so the message goes at 03:00 EDT (07:00 UTC).
        #expect(decide("2026-03-08T06:00:00Z", policy: policy) == .deferred(until: Fixtures.date("2026-03-08T07:00:00Z"), zone: "America/New_York", warnings: []))
    }

    @Test func fallBackMorningUsesTheOldOffsetAgain() {
        // 22:00 EDT on 31 October 2026; clocks go back on 1 November, so 08:00 is EST (13:00 UTC).
        #expect(decide("2026-11-01T02:00:00Z") == .deferred(until: Fixtures.date("2026-11-01T13:00:00Z"), zone: "America/New_York", warnings: []))
    }

    @Test func invalidZonesFallBackAndAreReported() {
        let decision = decide("2026-11-27T21:00:00Z", profile: "Mars/Olympus", journey: "Europe/Paris")
        // 22:00 in Paris (UTC+1) → 08:00 Paris = 07:00 UTC.
        #expect(decision == .deferred(
            until: Fixtures.date("2026-11-28T07:00:00Z"), zone: "Europe/Paris",
            warnings: [ZoneWarning(source: .profile, value: "Mars/Olympus", usedInstead: "Europe/Paris")]))
        let both = decide("2026-11-27T12:00:00Z", profile: "+05:30", journey: "Nowhere/Special")
        #expect(both == .sendNow(zone: "UTC", warnings: [
            ZoneWarning(source: .profile, value: "+05:30", usedInstead: "UTC"),
            ZoneWarning(source: .journey, value: "Nowhere/Special", usedInstead: "UTC"),
        ]))
        #expect(both.warnings.first?.description == "profile timezone '+05:30' is not a known zone; used 'UTC'")
    }

    @Test func missingZonesUseTheChainSilently() {
        #expect(decide("2026-11-27T21:30:00Z", profile: nil, journey: "Europe/Paris") == .deferred(until: Fixtures.date("2026-11-28T07:00:00Z"), zone: "Europe/Paris", warnings: []))
        #expect(decide("2026-11-27T22:00:00Z", profile: "", journey: nil) == .deferred(until: Fixtures.date("2026-11-28T08:00:00Z"), zone: "UTC", warnings: []))
    }

    @Test func transactionalIsNeverHeld() {
        #expect(night.decide(category: .transactional, now: Fixtures.date("2026-11-27T03:00:00Z"), profileTimeZone: "America/New_York", journeyTimeZone: nil)
            == .sendNow(zone: "", warnings: []))
    }

    @Test func configurationIsValidated() {
        #expect(throws: QuietHoursConfigError.invalidWindow("25:00-08:00")) { try QuietHoursPolicy.parse(window: "25:00-08:00", fleetTimeZone: "UTC") }
        #expect(throws: QuietHoursConfigError.invalidWindow("9pm to 8am")) { try QuietHoursPolicy.parse(window: "9pm to 8am", fleetTimeZone: "UTC") }
        #expect(throws: QuietHoursConfigError.unknownFleetTimeZone("Atlantis/Capital")) {
            try QuietHoursPolicy.parse(window: "21:00-08:00", fleetTimeZone: "Atlantis/Capital")
        }
        #expect(LocalTime("8:05")?.description == "08:05")
        #expect(LocalTime("08:60") == nil)
    }
}
