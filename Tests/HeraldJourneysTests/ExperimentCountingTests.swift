import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// Per split group counters: entries at the split, sends and conversions of each instance (and of
/// its conversion watch once it has finished) in the instance's group; holdouts convert too.
@Suite struct ExperimentCountingTests {
    static let journey = """
        {"id": "promo", "trigger": {"behaviour": {"event": "Browsed"}}, "entry": {"reentry": "afterExit"},
         "goal": {"event": "Order Completed", "within": "7d", "revenue": "properties.total"},
         "steps": [
           {"id": "ab", "split": {"groups": [
             {"name": "control", "percent": 20, "holdout": true},
             {"name": "email", "percent": 40, "next": "email"},
             {"name": "sms", "percent": 40, "next": "sms"}]}},
           {"id": "email", "send": {"channel": "email", "template": "promo"}, "next": "pause"},
           {"id": "sms", "send": {"channel": "sms", "template": "promo-sms"}, "next": "pause"},
           {"id": "pause", "wait": {"duration": "1d"}},
           {"id": "again", "send": {"channel": "email", "template": "promo-again"}}
         ]}
        """

    static func groupStats(_ effects: [JourneyEffect]) -> [String: [StatCounter: Double]] {
        var totals: [String: [StatCounter: Double]] = [:]
        for case .groupStat(let journey, let group, let counter, let delta) in effects where journey == "promo" {
            totals[group, default: [:]][counter, default: 0] += delta
        }
        return totals
    }

    @Test func eachGroupCountsItsEntriesSendsAndConversionsAndTheHoldoutConvertsThroughItsWatch() throws {
        let catalog = try Fixture.catalog(Self.journey)
        let start = Date()
        var effects: [JourneyEffect] = []
        var assigned: [String: String] = [:]
        var converters: Set<String> = []
        for number in 0..<120 {
            let user = "user-\(number)"
            var state = UserJourneyState(userId: user)
            let entry = JourneyEngine.evaluate(
                state, input: .event(Event(type: .track, messageId: "b-\(number)", userId: user, event: "Browsed", timestamp: start), profile: [:]),
                now: start, catalog: catalog)
            state = try UserJourneyState(decoding: entry.state.encoded(), userId: user)
            effects += entry.effects
            for trail in Fixture.trails(entry.effects) { if case .splitAssigned(let group) = trail.kind { assigned[user] = group } }
            // Every third user buys two hours later: a holdout has exited by then (its watch converts),
            // the others are still waiting (the live instance converts).
            guard number % 3 == 0 else { continue }
            converters.insert(user)
            let later = start.addingTimeInterval(7200)
            let order = Event(type: .track, messageId: "o-\(number)", userId: user, event: "Order Completed", properties: ["total": 10], timestamp: later)
            let converted = JourneyEngine.evaluate(state, input: .event(order, profile: [:]), now: later, catalog: catalog)
            effects += converted.effects
            #expect(Fixture.trails(converted.effects).contains { $0.kind.code == "goalReached" }, "\(user) converted")
        }
        let totals = Self.groupStats(effects)
        let sizes = Dictionary(grouping: assigned.values) { $0 }.mapValues(\.count)
        #expect(Set(totals.keys) == ["control", "email", "sms"])
        for group in ["control", "email", "sms"] {
            let converted = assigned.filter { $0.value == group && converters.contains($0.key) }.count
            #expect(totals[group]?[.entered] == Double(sizes[group] ?? -1), "\(group) entered")
            #expect(totals[group]?[.converted] == Double(converted), "\(group) converted")
            #expect(totals[group]?[.revenue] == Double(converted * 10), "\(group) revenue")
        }
        #expect(totals["control"]?[.sent] == nil, "a holdout sends nothing")
        #expect((totals["control"]?[.converted] ?? 0) > 0, "the holdout's conversions are measured")
        #expect(totals["email"]?[.sent] == Double(sizes["email"] ?? -1), "one send each before the wait")
        // Outside a split nothing is counted per group.
        let plain = try Fixture.catalog(Fixture.cartJourney())
        let cart = JourneyEngine.evaluate(
            UserJourneyState(userId: "u"), input: .event(Fixture.track("u", "Cart Updated", ["cart_id": "c"], at: "2026-03-02T10:00:00Z"), profile: [:]),
            now: Fixture.date("2026-03-02T10:00:00Z"), catalog: plain)
        #expect(Self.groupStats(cart.effects).isEmpty && !cart.effects.contains { if case .groupStat = $0 { return true } else { return false } })
    }

    @Test func aWatchKeepsItsGroupThroughTheStoredForm() throws {
        var state = UserJourneyState(userId: "u")
        state.watches = [ConversionWatch(instanceId: "promo-0123456789abcdef", journey: "promo", version: 2, until: Date(timeIntervalSince1970: 1_800_000_000), match: [:], lastSend: nil, group: "control")]
        let read = try UserJourneyState(decoding: state.encoded(), userId: "u")
        #expect(read.watches.first?.group == "control")
        #expect(read == state)
        // A watch stored before groups were kept reads without one.
        let older = #"{"userId":"u","watches":[{"instanceId":"promo-1","journey":"promo","version":1,"until":1800000000000,"match":{}}]}"#
        #expect(try UserJourneyState(decoding: Array(older.utf8), userId: "u").watches.first?.group == nil)
    }

    @Test func theSimulatorNamesTheGroupOfEachConversion() throws {
        let catalog = try Fixture.catalog(Self.journey)
        let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        var events: [Event] = []
        for number in 0..<30 {
            events.append(Event(type: .track, messageId: "b-\(number)", userId: "user-\(number)", event: "Browsed", timestamp: start))
            events.append(Event(
                type: .track, messageId: "o-\(number)", userId: "user-\(number)", event: "Order Completed", properties: ["total": 5],
                timestamp: start.addingTimeInterval(3600)))
        }
        let simulator = Fixture.simulate(catalog, events, horizon: 86_400 * 3)
        let goals = SimulatorDecisionsTests.decisions(simulator.records, .goal)
        let splits = SimulatorDecisionsTests.decisions(simulator.records, .split)
        #expect(goals.count == 30)
        for goal in goals {
            let split = splits.first { $0.details["instanceId"] == goal.details["instanceId"] }
            #expect(goal.details["group"] != nil && goal.details["group"] == split?.details["group"], "\(goal.json.serialized())")
        }
        #expect(goals.contains { $0.details["group"] == "control" }, "a holdout's conversion is a goal record with its group")
    }
}
