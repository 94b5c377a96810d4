import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// `JourneyEngine.merge`: an anonymous visitor's journeys folded into the known user's.
@Suite struct IdentityMergeTests {
    let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)

    func at(_ minutes: Double) -> Date { start.addingTimeInterval(minutes * 60) }

    func anonymous(_ id: String, _ name: String, _ properties: [String: JSONValue] = [:], minute: Double) -> Event {
        Event(type: .track, messageId: "\(id)-\(name)-\(minute)", anonymousId: id, event: name, properties: properties, timestamp: at(minute))
    }

    func known(_ user: String, _ name: String, _ properties: [String: JSONValue] = [:], minute: Double) -> Event {
        Event(type: .track, messageId: "\(user)-\(name)-\(minute)", userId: user, event: name, properties: properties, timestamp: at(minute))
    }

    /// Runs events through the engine for one user, each at its own time.
    func state(_ events: [Event], catalog: JourneyCatalog, from initial: UserJourneyState? = nil) -> UserJourneyState {
        var state = initial ?? UserJourneyState(userId: events.first?.userKey ?? "")
        for event in events {
            state = JourneyEngine.evaluate(state, input: .event(event, profile: [:]), now: event.timestamp, catalog: catalog).state
        }
        return state
    }

    func merged(_ target: UserJourneyState, _ source: UserJourneyState, minute: Double, catalog: JourneyCatalog, id: String = "m-1") -> JourneyEvaluation {
        JourneyEngine.merge(target, absorbing: source, mergeId: id, profile: [:], now: at(minute), catalog: catalog)
    }

    func exits(_ effects: [JourneyEffect]) -> [(instance: String?, reason: String)] {
        Fixture.trails(effects).compactMap { if case .exited(let reason) = $0.kind { return ($0.instanceId, reason) } else { return nil } }
    }

    @Test func anAnonymousCartContinuesUnderTheUserAtItsOriginalTimeAndSendsOnceToThem() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let anon = state([anonymous("a1", "Cart Updated", ["cart_id": "c-1"], minute: 0)], catalog: catalog)
        let instance = try #require(anon.instances.first)
        let due = try #require(instance.waiting?.dueAt)
        #expect(due == at(30))

        let merge = merged(UserJourneyState(userId: "u1"), anon, minute: 5, catalog: catalog)
        #expect(merge.state.userId == "u1")
        #expect(merge.state.instances.map(\.id) == [instance.id], "the instance keeps its id, step and wait")
        let timer = try #require(Fixture.scheduled(merge.effects).first)
        #expect(timer.userId == "u1" && timer.dueAt == due && timer.instanceId == instance.id)
        #expect(timer.id == JourneyTimer.instanceTimerId(user: "u1", journey: "cart", instanceId: instance.id, step: "wait-30m", kind: .resume))
        #expect(merge.state.instances.first?.waiting?.timerId == timer.id, "the state waits for the re-keyed timer")
        #expect(Fixture.trails(merge.effects).contains { $0.kind == .identityMerged(from: "anon:a1") && $0.instanceId == nil })

        // The re-keyed timer resumes it: the reminder goes to the known user, once.
        let fired = JourneyEngine.evaluate(merge.state, input: .timer(timer, profile: [:]), now: due, catalog: catalog)
        let sends = Fixture.sends(fired.effects)
        #expect(sends.count == 1 && sends.first?.userId == "u1" && sends.first?.template == "cart-reminder")
        // The anonymous id's old timer, had it fired, no longer matches anything.
        let old = try #require(instance.waiting)
        let stale = JourneyEngine.evaluate(
            fired.state, input: .timer(JourneyTimer(id: old.timerId, userId: "u1", journey: "cart", version: 1, instanceId: instance.id, step: old.step, kind: .resume, dueAt: due), profile: [:]),
            now: due, catalog: catalog)
        #expect(Fixture.sends(stale.effects).isEmpty)
    }

    @Test func aHandoverFoldedTwiceIsFoldedOnce() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let anon = state([anonymous("a1", "Cart Updated", ["cart_id": "c-1"], minute: 0)], catalog: catalog)
        let once = merged(UserJourneyState(userId: "u1"), anon, minute: 1, catalog: catalog)
        let twice = merged(once.state, anon, minute: 2, catalog: catalog)
        #expect(twice.state == once.state && twice.effects.isEmpty)
        #expect(once.state.merges == ["m-1"])
        // Stored and read back, the state still knows the merge.
        #expect(try UserJourneyState(decoding: once.state.encoded(), userId: "u1") == once.state)
    }

    @Test func twoLiveInstancesForOneCartKeepTheOlderAndFinishTheOtherAsMerged() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let anonOlder = state([anonymous("a1", "Cart Updated", ["cart_id": "c-1"], minute: 0)], catalog: catalog)
        let knownNewer = state([known("u1", "Cart Updated", ["cart_id": "c-1"], minute: 2)], catalog: catalog)
        let first = merged(knownNewer, anonOlder, minute: 3, catalog: catalog)
        #expect(first.state.instances.map(\.id) == anonOlder.instances.map(\.id), "the older (anonymous) cart keeps running")
        let finished = exits(first.effects)
        #expect(finished.map(\.reason) == ["merged"] && finished.first?.instance == knownNewer.instances.first?.id)
        #expect(Fixture.cancelled(first.effects) == knownNewer.instances.compactMap(\.waiting?.timerId), "the finished one's timer goes")
        #expect(Fixture.scheduled(first.effects).map(\.dueAt) == [at(30)], "the kept one waits for its own time")

        // The other way round: the known user's cart is older and keeps running.
        let knownOlder = state([known("u1", "Cart Updated", ["cart_id": "c-1"], minute: 0)], catalog: catalog)
        let anonNewer = state([anonymous("a1", "Cart Updated", ["cart_id": "c-1"], minute: 2)], catalog: catalog)
        let second = merged(knownOlder, anonNewer, minute: 3, catalog: catalog)
        #expect(second.state.instances.map(\.id) == knownOlder.instances.map(\.id))
        #expect(exits(second.effects).map(\.instance) == anonNewer.instances.map(\.id))
        #expect(Fixture.scheduled(second.effects).isEmpty, "nothing new waits")

        // Different carts are different instances: both run.
        let other = state([anonymous("a1", "Cart Updated", ["cart_id": "c-2"], minute: 1)], catalog: catalog)
        #expect(merged(knownOlder, other, minute: 3, catalog: catalog).state.instances.count == 2)
    }

    @Test func anAlwaysJourneyKeepsBothWithinItsCapAndFinishesTheNewestBeyondIt() throws {
        let journey = #"""
            {"id": "promo", "trigger": {"behaviour": {"event": "Visited"}}, "entry": {"reentry": "always", "maxLiveInstancesPerUser": 2},
             "steps": [{"id": "wait", "wait": {"duration": "1h"}}, {"id": "hello", "send": {"channel": "email", "template": "welcome"}}]}
            """#
        let catalog = try Fixture.catalog(journey)
        let target = state([known("u1", "Visited", minute: 0), known("u1", "Visited", minute: 4)], catalog: catalog)
        let source = state([anonymous("a1", "Visited", minute: 2)], catalog: catalog)
        let merge = merged(target, source, minute: 5, catalog: catalog)
        #expect(merge.state.instances.count == 2, "the cap of 2 holds")
        #expect(exits(merge.effects).map(\.instance) == [target.instances.last?.id], "the newest (minute 4) finished")
        let single = merged(state([known("u1", "Visited", minute: 0)], catalog: catalog), source, minute: 5, catalog: catalog)
        #expect(single.state.instances.count == 2 && exits(single.effects).isEmpty)
    }

    @Test func reentryNeverStillHoldsForThePersonAfterTheMerge() throws {
        let journey = #"""
            {"id": "once", "trigger": {"behaviour": {"event": "Visited"}}, "entry": {"reentry": "never"},
             "steps": [{"id": "hello", "send": {"channel": "email", "template": "welcome"}}]}
            """#
        let catalog = try Fixture.catalog(journey)
        let source = state([anonymous("a1", "Visited", minute: 0)], catalog: catalog)
        #expect(source.markers["once"]?.enteredAt == at(0) && source.instances.isEmpty)
        let merge = merged(UserJourneyState(userId: "u1"), source, minute: 1, catalog: catalog)
        #expect(merge.state.markers["once"]?.enteredAt == at(0))
        let again = JourneyEngine.evaluate(merge.state, input: .event(known("u1", "Visited", minute: 2), profile: [:]), now: at(2), catalog: catalog)
        #expect(Fixture.sends(again.effects).isEmpty, "entered once as the anonymous visitor: never again as the user")
        // Without the merge the user would have entered.
        let unmerged = JourneyEngine.evaluate(UserJourneyState(userId: "u1"), input: .event(known("u1", "Visited", minute: 2), profile: [:]), now: at(2), catalog: catalog)
        #expect(Fixture.sends(unmerged.effects).count == 1)
    }

    @Test func milestoneCountsAddUpWithoutASecondEntry() throws {
        let journey = #"""
            {"id": "fifth", "trigger": {"milestone": {"event": "Order Completed", "count": 3}},
             "steps": [{"id": "hello", "send": {"channel": "email", "template": "welcome"}}]}
            """#
        let catalog = try Fixture.catalog(journey)
        let orders = { (count: Int, event: (Double) -> Event) in (0..<count).map { event(Double($0)) } }
        // Reached as the anonymous visitor: the user's own orders do not enter it again.
        let reached = state(orders(3) { self.anonymous("a1", "Order Completed", minute: $0) }, catalog: catalog)
        let user = state(orders(1) { self.known("u1", "Order Completed", minute: $0) }, catalog: catalog)
        let afterReached = merged(user, reached, minute: 5, catalog: catalog).state
        #expect(afterReached.counters["fifth"]?.count == 3)
        let next = JourneyEngine.evaluate(afterReached, input: .event(known("u1", "Order Completed", minute: 6), profile: [:]), now: at(6), catalog: catalog)
        #expect(Fixture.sends(next.effects).isEmpty)
        // Reached by neither: 2 + 2 is held one short of the milestone (2), so the next order enters, once.
        let two = state(orders(2) { self.anonymous("a2", "Order Completed", minute: $0) }, catalog: catalog)
        let userTwo = state(orders(2) { self.known("u2", "Order Completed", minute: $0) }, catalog: catalog)
        let combined = merged(userTwo, two, minute: 5, catalog: catalog)
        #expect(combined.state.counters["fifth"]?.count == 2 && Fixture.sends(combined.effects).isEmpty, "the merge itself enters nobody")
        let entering = JourneyEngine.evaluate(combined.state, input: .event(known("u2", "Order Completed", minute: 6), profile: [:]), now: at(6), catalog: catalog)
        #expect(Fixture.sends(entering.effects).count == 1)
    }

    @Test func theLaterInactivityDeadlineWinsAndIsRekeyedToTheUser() throws {
        let journey = #"""
            {"id": "winback", "trigger": {"inactivity": {"event": "Order Completed", "for": "30d"}},
             "steps": [{"id": "hello", "send": {"channel": "email", "template": "welcome"}}]}
            """#
        let catalog = try Fixture.catalog(journey)
        let olderUser = state([known("u1", "Order Completed", minute: 0)], catalog: catalog)
        let laterAnon = state([anonymous("a1", "Order Completed", minute: 10)], catalog: catalog)
        let merge = merged(olderUser, laterAnon, minute: 11, catalog: catalog)
        #expect(merge.state.timers["winback"] == laterAnon.timers["winback"])
        let timer = try #require(Fixture.scheduled(merge.effects).first)
        #expect(timer.id == JourneyTimer.triggerTimerId(user: "u1", journey: "winback", kind: .inactivity) && timer.dueAt == laterAnon.timers["winback"])
        // The user's own deadline is the later one: nothing changes.
        let reverse = merged(state([known("u1", "Order Completed", minute: 20)], catalog: catalog), laterAnon, minute: 21, catalog: catalog)
        #expect(Fixture.scheduled(reverse.effects).isEmpty)
    }
}

/// `heraldctl simulate` merges identities as the fleet does.
@Suite struct IdentityMergeSimulationTests {
    @Test func theSimulatorMergesTheVisitorOnIdentifyAndForwardsItsLaterEvents() throws {
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
        func at(_ minutes: Double) -> Date { start.addingTimeInterval(minutes * 60) }
        let events = [
            Event(type: .track, messageId: "cart", anonymousId: "a1", event: "Cart Updated", properties: ["cart_id": "c-1"], timestamp: at(0)),
            Event(type: .identify, messageId: "login", userId: "u1", anonymousId: "a1", traits: ["email": "u1@example.com"], timestamp: at(5)),
            // Sent as the visitor after the login: the user's order, which ends the cart.
            Event(type: .track, messageId: "order", anonymousId: "a1", event: "Order Completed", properties: ["cart_id": "c-1"], timestamp: at(40)),
        ]
        var simulator = JourneySimulator(catalog: try Fixture.catalog(Fixture.cartJourney()), start: start)
        simulator.replay(events, horizon: 3 * 86_400)
        let sends = simulator.records.compactMap { record -> (Date, String, String)? in
            if case .send(let when, let user, _, _, _, let template) = record { return (when, user, template) }
            return nil
        }
        #expect(sends.map(\.0) == [at(30)] && sends.map(\.1) == ["u1"] && sends.map(\.2) == ["cart-reminder"], "the reminder, once, to the user, at its time; no SMS after the order")
        #expect(simulator.mergedInto == ["anon:a1": "u1"])
        #expect(simulator.state(of: "anon:a1").isEmpty && simulator.state(of: "u1").instances.isEmpty)
        let exits = simulator.records.compactMap { record -> String? in
            if case .exit(_, let user, _, let code, _) = record { return "\(user) \(code)" }
            return nil
        }
        #expect(exits == ["u1 exitEvent"])
    }
}
