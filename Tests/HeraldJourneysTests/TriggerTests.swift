import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

@Suite struct TriggerTests {
    @Test func behaviourFiltersOnPropertiesAndProfileTraits() throws {
        let catalog = try Fixture.catalog("""
            {"id": "vip", "trigger": {"behaviour": {"event": "Product Viewed", "where": {"all": [
               {"path": "properties.price", "op": "gte", "value": 100},
               {"path": "profile.tier", "op": "in", "value": ["gold", "platinum"]}]}}},
             "entry": {"reentry": "always", "maxLiveInstancesPerUser": 9},
             "steps": [{"id": "hi", "send": {"channel": "push", "template": "price-drop"}}]}
            """)
        func sends(price: Double, tier: String) -> Int {
            let result = JourneyEngine.evaluate(
                UserJourneyState(userId: "u1"),
                input: .event(Fixture.track("u1", "Product Viewed", ["price": .number(price)], at: "2026-01-01T10:00:00Z"), profile: ["tier": .string(tier)]),
                now: Fixture.date("2026-01-01T10:00:00Z"), catalog: catalog)
            return Fixture.sends(result.effects).count
        }
        #expect(sends(price: 150, tier: "gold") == 1)
        #expect(sends(price: 99, tier: "gold") == 0)
        #expect(sends(price: 150, tier: "silver") == 0)
    }

    @Test func frequencyNeedsThreeWithinTheWindow() throws {
        let catalog = try Fixture.catalog("""
            {"id": "browse", "trigger": {"behaviour": {"event": "Product Viewed", "frequency": {"count": 3, "within": "24h"}}},
             "entry": {"reentry": "always", "maxLiveInstancesPerUser": 9},
             "steps": [{"id": "hi", "send": {"channel": "email", "template": "price-drop"}}]}
            """)
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Product Viewed", at: "2026-01-01T00:00:00Z"),
            Fixture.track("u1", "Product Viewed", at: "2026-01-01T12:00:00Z"),
            Fixture.track("u1", "Product Viewed", at: "2026-01-02T06:00:00Z"),
            Fixture.track("u1", "Product Viewed", at: "2026-01-02T07:00:00Z"),
            Fixture.track("u1", "Product Viewed", at: "2026-01-02T08:00:00Z"),
        ])
        // 00:00 ages out before the 3rd view; the views at 12:00, 06:00 and 07:00 fire; the count then restarts.
        #expect(Fixture.sendTimes(simulator, template: "price-drop") == [Fixture.date("2026-01-02T07:00:00Z")])
        #expect((simulator.state(of: "u1").counters["browse"]?.recent?.count ?? 0) <= 2)
    }

    @Test func inactivityFiresAfterTheQuietPeriodAndIsRearmedByEachEvent() throws {
        let catalog = try Fixture.catalog("""
            {"id": "winback", "trigger": {"inactivity": {"event": "Order Completed", "for": "180d"}},
             "steps": [{"id": "mail", "send": {"channel": "email", "template": "winback"}}]}
            """)
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Order Completed", at: "2026-01-01T10:00:00Z"),
            Fixture.track("u1", "Order Completed", at: "2026-03-01T10:00:00Z"),
        ])
        #expect(Fixture.sendTimes(simulator, template: "winback") == [Fixture.date("2026-08-28T10:00:00Z")])
        let send = try #require(Fixture.sends(simulator.effects).first)
        #expect(send.context["event"]?["event"] == "$inactivity")
        #expect(send.context["event"]?.value(atPath: "properties.lastActivityAt") == "2026-03-01T10:00:00.000Z")
    }

    static let birthday = """
        {"id": "birthday", "trigger": {"date": {"trait": "birthday", "time": "09:00"}},
         "steps": [{"id": "greet", "send": {"channel": "email", "template": "birthday"}}]}
        """

    @Test func birthdayRecursEveryYearAtLocalTime() throws {
        let simulator = Fixture.simulate(try Fixture.catalog(Self.birthday), [
            Fixture.identify("u1", ["birthday": "1990-03-14", "timezone": "Asia/Tokyo"], at: "2026-02-01T00:00:00Z"),
        ], horizon: 800 * 86_400)
        #expect(Fixture.sendTimes(simulator, template: "birthday") == [
            Fixture.date("2026-03-14T00:00:00Z"), Fixture.date("2027-03-14T00:00:00Z"), Fixture.date("2028-03-14T00:00:00Z"),
        ])
    }

    @Test func birthdayFollowsDaylightSavingInTheUsersZone() throws {
        let simulator = Fixture.simulate(try Fixture.catalog(Self.birthday), [
            Fixture.identify("summer", ["birthday": "1985-07-01", "timezone": "America/New_York"], at: "2026-01-05T00:00:00Z"),
            Fixture.identify("winter", ["birthday": "1985-01-10", "timezone": "America/New_York"], at: "2026-01-05T00:00:00Z"),
            Fixture.identify("nozone", ["birthday": "1985-01-10"], at: "2026-01-05T00:00:00Z"),
        ], horizon: 200 * 86_400)
        let byUser = Dictionary(grouping: simulator.records) { $0.userId }
        #expect(byUser["summer"]?.first?.at == Fixture.date("2026-07-01T13:00:00Z"), "EDT is UTC-4")
        #expect(byUser["winter"]?.first?.at == Fixture.date("2026-01-10T14:00:00Z"), "EST is UTC-5")
        #expect(byUser["nozone"]?.first?.at == Fixture.date("2026-01-10T09:00:00Z"), "UTC fallback")
    }

    @Test func changedBirthdayReschedulesTheSameTimer() throws {
        var simulator = JourneySimulator(catalog: try Fixture.catalog(Self.birthday), start: Fixture.date("2026-01-01T00:00:00Z"))
        simulator.deliver(Fixture.identify("u1", ["birthday": "1990-05-01"], at: "2026-01-01T00:00:00Z"))
        simulator.deliver(Fixture.identify("u1", ["birthday": "1990-06-01"], at: "2026-01-02T00:00:00Z"))
        #expect(simulator.timers.count == 1)
        #expect(simulator.timers.values.first?.dueAt == Fixture.date("2026-06-01T09:00:00Z"))
    }

    @Test func removingTheBirthdayCancelsTheTimer() throws {
        var simulator = JourneySimulator(catalog: try Fixture.catalog(Self.birthday), start: Fixture.date("2026-01-01T00:00:00Z"))
        simulator.deliver(Fixture.identify("u1", ["birthday": "1990-05-01"], at: "2026-01-01T00:00:00Z"))
        #expect(simulator.timers.count == 1)
        simulator.deliver(Fixture.identify("u1", ["birthday": .null], at: "2026-01-02T00:00:00Z"))
        #expect(simulator.timers.isEmpty)
        #expect(simulator.state(of: "u1").timers.isEmpty)
    }

    @Test func fixedMomentIsLocalPerUserAndFiresOnce() throws {
        let catalog = try Fixture.catalog("""
            {"id": "cm", "trigger": {"date": {"moment": "2026-11-27T09:00", "where": {"path": "profile.marketingOptIn", "op": "eq", "value": true}}},
             "steps": [{"id": "go", "send": {"channel": "email", "template": "cyber-monday-presale"}}]}
            """)
        let simulator = Fixture.simulate(catalog, [
            Fixture.identify("tokyo", ["timezone": "Asia/Tokyo", "marketingOptIn": true], at: "2026-05-01T00:00:00Z"),
            Fixture.identify("berlin", ["timezone": "Europe/Berlin", "marketingOptIn": true], at: "2026-05-01T00:00:00Z"),
            Fixture.identify("optout", ["timezone": "Europe/Berlin", "marketingOptIn": false], at: "2026-05-01T00:00:00Z"),
            Fixture.track("berlin", "Product Viewed", at: "2026-06-01T00:00:00Z"),
            Fixture.identify("late", ["marketingOptIn": true], at: "2026-12-01T00:00:00Z"),
        ])
        let sends = simulator.records.compactMap { if case .send(let at, let user, _, _, _, _) = $0 { return "\(user)@\(ISO8601.format(at))" } else { return nil } }
        #expect(sends == ["tokyo@2026-11-27T00:00:00.000Z", "berlin@2026-11-27T08:00:00.000Z"])
        let refused = Fixture.trails(simulator.effects).filter { $0.kind.code == "notEntered" }.map(\.userId)
        #expect(refused == ["optout"])
    }

    @Test func milestoneEntersOnTheNthOccurrenceOnly() throws {
        let catalog = try Fixture.catalog("""
            {"id": "third-order", "trigger": {"milestone": {"event": "Order Completed", "count": 3}},
             "steps": [{"id": "thanks", "send": {"channel": "email", "template": "order-confirmation"}}]}
            """)
        let orders = (1...5).map { Fixture.track("u1", "Order Completed", ["n": .number(Double($0))], at: "2026-01-0\($0)T10:00:00Z") }
        let simulator = Fixture.simulate(catalog, orders)
        #expect(Fixture.sendTimes(simulator, template: "order-confirmation") == [Fixture.date("2026-01-03T10:00:00Z")])
    }

    @Test func milestoneEntersWhenATraitCrossesUpwards() throws {
        let catalog = try Fixture.catalog("""
            {"id": "big-spender", "trigger": {"milestone": {"trait": "lifetimeValue", "crosses": 1000}},
             "steps": [{"id": "thanks", "send": {"channel": "email", "template": "welcome"}}]}
            """)
        let simulator = Fixture.simulate(catalog, [
            Fixture.identify("u1", ["lifetimeValue": 400], at: "2026-01-01T10:00:00Z"),
            Fixture.identify("u1", ["lifetimeValue": 1200], at: "2026-01-02T10:00:00Z"),
            Fixture.identify("u1", ["lifetimeValue": 1500], at: "2026-01-03T10:00:00Z"),
            Fixture.identify("u1", ["lifetimeValue": 900], at: "2026-01-04T10:00:00Z"),
            Fixture.identify("u1", ["lifetimeValue": 1100], at: "2026-01-05T10:00:00Z"),
        ])
        #expect(Fixture.sendTimes(simulator, template: "welcome") == [Fixture.date("2026-01-02T10:00:00Z"), Fixture.date("2026-01-05T10:00:00Z")])
    }

    @Test func identifyTriggersWithTheDollarIdentifyName() throws {
        let catalog = try Fixture.catalog("""
            {"id": "hello", "trigger": {"behaviour": {"event": "$identify", "where": {"path": "profile.email", "op": "exists"}}},
             "entry": {"reentry": "never"},
             "steps": [{"id": "hi", "send": {"channel": "email", "template": "welcome"}}]}
            """)
        let simulator = Fixture.simulate(catalog, [
            Fixture.identify("u1", ["name": "No email yet"], at: "2026-01-01T10:00:00Z"),
            Fixture.identify("u1", ["email": "u1@example.com"], at: "2026-01-01T11:00:00Z"),
            Fixture.identify("u1", ["email": "u1@example.org"], at: "2026-01-01T12:00:00Z"),
        ])
        #expect(Fixture.sendTimes(simulator, template: "welcome") == [Fixture.date("2026-01-01T11:00:00Z")])
    }

    @Test func pageAndScreenTriggerByDollarTypeWithTheirNameInWhere() throws {
        let catalog = try Fixture.catalog("""
            {"id": "pricing", "trigger": {"behaviour": {"event": "$page", "where": {"path": "event.name", "op": "eq", "value": "Pricing"}}},
             "entry": {"reentry": "never"},
             "steps": [{"id": "hi", "send": {"channel": "email", "template": "welcome"}}]}
            """)
        let page = { (name: String, at: String) in
            Event(type: .page, messageId: "p-\(name)-\(at)", userId: "u1", timestamp: Fixture.date(at), name: name)
        }
        let others: [Event] = [.screen, .group, .alias].map { kind in
            Event(type: kind, messageId: "o-\(kind)", userId: "u1", timestamp: Fixture.date("2026-01-01T09:00:00Z"), name: "Pricing",
                  groupId: kind == .group ? "g1" : nil, previousId: kind == .alias ? "anon-1" : nil)
        }
        let simulator = Fixture.simulate(catalog, others + [page("Home", "2026-01-01T10:00:00Z"), page("Pricing", "2026-01-01T11:00:00Z")])
        #expect(Fixture.sendTimes(simulator, template: "welcome") == [Fixture.date("2026-01-01T11:00:00Z")],
                "only the page named Pricing enters; screen, group and alias messages are inert")
    }

    @Test func unrelatedEventsProduceNoEffects() throws {
        let catalog = try JourneyCatalog.load(directory: Fixture.root.appendingPathComponent("config/journeys"))
        var state = UserJourneyState(userId: "u1")
        let profile: [String: JSONValue] = ["birthday": "1990-01-01"]
        state = JourneyEngine.evaluate(state, input: .event(Fixture.identify("u1", profile, at: "2026-01-01T00:00:00Z"), profile: profile),
                                       now: Fixture.date("2026-01-01T00:00:00Z"), catalog: catalog).state
        let result = JourneyEngine.evaluate(state, input: .event(Fixture.track("u1", "Page Viewed", at: "2026-01-02T00:00:00Z"), profile: profile),
                                            now: Fixture.date("2026-01-02T00:00:00Z"), catalog: catalog)
        #expect(result.effects.isEmpty)
        #expect(result.state == state)
    }
}
