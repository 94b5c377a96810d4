import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

@Suite struct EntryPolicyTests {
    static func oneShot(_ reentry: String) -> String {
        """
        {"id": "promo", "trigger": {"behaviour": {"event": "Visited"}}, "entry": {"reentry": "\(reentry)", "maxLiveInstancesPerUser": 5},
         "steps": [{"id": "wait", "wait": {"duration": "1h"}}, {"id": "hello", "send": {"channel": "email", "template": "welcome"}}]}
        """
    }

    static let visits = [
        Fixture.track("u1", "Visited", at: "2026-01-01T10:00:00Z"),
        Fixture.track("u1", "Visited", at: "2026-01-01T10:30:00Z"),
        Fixture.track("u1", "Visited", at: "2026-01-02T10:00:00Z"),
    ]

    @Test func neverEntersOnlyOnceEver() throws {
        let simulator = Fixture.simulate(try Fixture.catalog(Self.oneShot("never")), Self.visits)
        #expect(simulator.records.filter { if case .send = $0 { return true } else { return false } }.count == 1)
        let refusals = Fixture.trails(simulator.effects).filter { if case .notEntered = $0.kind { return true } else { return false } }
        #expect(refusals.count == 1, "the visit after exit is refused; the one while live refreshes")
    }

    @Test func afterExitRefreshesWhileLiveAndReentersAfterExit() throws {
        let simulator = Fixture.simulate(try Fixture.catalog(Self.oneShot("afterExit")), Self.visits)
        #expect(Fixture.sendTimes(simulator, template: "welcome") == [
            Fixture.date("2026-01-01T11:00:00Z"), Fixture.date("2026-01-02T11:00:00Z"),
        ])
    }

    @Test func alwaysStartsAnInstancePerTrigger() throws {
        let simulator = Fixture.simulate(try Fixture.catalog(Self.oneShot("always")), Self.visits)
        #expect(Fixture.sendTimes(simulator, template: "welcome") == [
            Fixture.date("2026-01-01T11:00:00Z"), Fixture.date("2026-01-01T11:30:00Z"), Fixture.date("2026-01-02T11:00:00Z"),
        ])
    }

    @Test func liveCapRefusesEntriesBeyondIt() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney(entry: #""concurrencyKey": "properties.cart_id", "maxLiveInstancesPerUser": 2"#))
        let events = ["a", "b", "c"].enumerated().map { offset, cart in
            Fixture.track("u1", "Cart Updated", ["cart_id": .string(cart)], at: "2026-01-01T10:0\(offset):00Z")
        }
        var simulator = JourneySimulator(catalog: catalog, start: Fixture.date("2026-01-01T10:00:00Z"))
        for event in events { simulator.deliver(event) }
        #expect(simulator.state(of: "u1").instances.map(\.key) == ["a", "b"])
        let refusal = Fixture.trails(simulator.effects).first { if case .notEntered = $0.kind { return true } else { return false } }
        #expect(refusal?.message.contains("cap is 2") == true)
        #expect(Fixture.stats(simulator.effects, .notEntered) == 1)
    }
}
