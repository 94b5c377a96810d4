import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

@Suite struct InstanceSemanticsTests {
    @Test func concurrencyKeyKeepsTwoCartsInFlight() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Cart Updated", ["cart_id": "A"], at: "2026-01-01T10:00:00Z"),
            Fixture.track("u1", "Cart Updated", ["cart_id": "B"], at: "2026-01-01T10:10:00Z"),
        ])
        let emails = Fixture.sends(simulator.effects).filter { $0.template == "cart-reminder" }
        #expect(emails.map { $0.context["event"]?.value(atPath: "properties.cart_id") } == [.string("A"), .string("B")])
        #expect(Set(emails.map(\.instanceId)).count == 2)
        #expect(Fixture.sendTimes(simulator, template: "cart-reminder-sms") == [
            Fixture.date("2026-01-02T10:30:00Z"), Fixture.date("2026-01-02T10:40:00Z"),
        ])
    }

    @Test func exitEventInterruptsTheWaitAndCancelsItsTimer() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        var simulator = JourneySimulator(catalog: catalog, start: Fixture.date("2026-01-01T10:00:00Z"))
        simulator.deliver(Fixture.track("u1", "Cart Updated", ["cart_id": "A"], at: "2026-01-01T10:00:00Z"))
        simulator.deliver(Fixture.track("u1", "Cart Updated", ["cart_id": "B"], at: "2026-01-01T10:01:00Z"))
        let pending = try #require(simulator.state(of: "u1").instances.first { $0.key == "A" }?.waiting)
        #expect(simulator.timers[pending.timerId] != nil)
        simulator.deliver(Fixture.track("u1", "Order Completed", ["cart_id": "A", "total": 10], at: "2026-01-01T10:05:00Z"))
        #expect(Fixture.cancelled(simulator.effects) == [pending.timerId])
        #expect(simulator.timers[pending.timerId] == nil)
        #expect(simulator.state(of: "u1").instances.map(\.key) == ["B"], "only the matching cart exits")
        simulator.advance(to: Fixture.date("2026-01-03T00:00:00Z"))
        let carts = Fixture.sends(simulator.effects).map { $0.context["event"]?.value(atPath: "properties.cart_id") }
        #expect(carts == [.string("B"), .string("B")])
        let exit = simulator.records.first { if case .exit = $0 { return true } else { return false } }
        #expect(exit == .exit(at: Fixture.date("2026-01-01T10:05:00Z"), userId: "u1", journey: "cart", exit: "exitEvent", reason: "exitEvent: Order Completed"))
    }

    @Test func retriggerRestartsTheWaitAtMostMaxResetsTimes() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let updates = ["10:00", "10:20", "10:40", "11:00"].enumerated().map { offset, time in
            Fixture.track("u1", "Cart Updated", ["cart_id": "A", "item_count": .number(Double(offset + 1))], at: "2026-01-01T\(time):00Z")
        }
        let simulator = Fixture.simulate(catalog, updates, horizon: 3600)
        // Resets at 10:20 and 10:40 push the email to 11:10; the 11:00 update exceeds maxResets 2.
        #expect(Fixture.sendTimes(simulator, template: "cart-reminder") == [Fixture.date("2026-01-01T11:10:00Z")])
        let resets = Fixture.trails(simulator.effects).filter { if case .waitReset = $0.kind { return true } else { return false } }
        #expect(resets.count == 2)
        let email = try #require(Fixture.sends(simulator.effects).first)
        #expect(email.context["latest"]?.value(atPath: "properties.item_count") == .number(4), "the latest event is refreshed")
        #expect(email.context["event"]?.value(atPath: "properties.item_count") == .number(1), "the trigger event stays")
    }

    @Test func goalIsAttributedToTheLastMessageWithRevenue() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Cart Updated", ["cart_id": "A"], at: "2026-01-01T10:00:00Z"),
            Fixture.track("u1", "Order Completed", ["cart_id": "A", "total": 129.99], at: "2026-01-01T12:00:00Z"),
        ])
        let email = try #require(Fixture.sends(simulator.effects).first)
        let goal = try #require(Fixture.trails(simulator.effects).first { $0.kind.code == "goalReached" })
        #expect(goal.kind == .goalReached(revenue: 129.99, attributedStep: "email", idempotencyKey: email.idempotencyKey))
        #expect(Fixture.stats(simulator.effects, .revenue) == 129.99)
        #expect(Fixture.stats(simulator.effects, .converted) == 1)
        #expect(Fixture.sends(simulator.effects).count == 1, "the order also exits the instance before the SMS")
    }

    @Test func goalAfterTheInstanceFinishedStillCountsInsideTheWindow() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Cart Updated", ["cart_id": "A"], at: "2026-01-01T10:00:00Z"),
            Fixture.track("u1", "Order Completed", ["cart_id": "B", "total": 5], at: "2026-01-03T12:00:00Z"),
            Fixture.track("u1", "Order Completed", ["cart_id": "A", "total": 50], at: "2026-01-04T12:00:00Z"),
            Fixture.track("u1", "Order Completed", ["cart_id": "A", "total": 70], at: "2026-01-05T12:00:00Z"),
        ])
        let goals = Fixture.trails(simulator.effects).filter { $0.kind.code == "goalReached" }
        #expect(goals.count == 1)
        #expect(goals.first?.step == "sms")
        #expect(Fixture.stats(simulator.effects, .revenue) == 50)
    }

    @Test func sendContextCarriesEventLatestProfileAndVars() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney(
            entry: #""concurrencyKey": "properties.cart_id", "maxResets": 0, "vars": {"cartTotal": "properties.total"}"#))
        var simulator = JourneySimulator(catalog: catalog, start: Fixture.date("2026-01-01T09:00:00Z"))
        simulator.deliver(Fixture.identify("u1", ["email": "a@example.com", "firstName": "Ada"], at: "2026-01-01T09:00:00Z"))
        let trigger = Fixture.track("u1", "Cart Updated", ["cart_id": "A", "total": 40], at: "2026-01-01T10:00:00Z")
        let update = Fixture.track("u1", "Cart Updated", ["cart_id": "A", "total": 55], at: "2026-01-01T10:10:00Z")
        simulator.deliver(trigger)
        simulator.deliver(update)
        simulator.advance(to: Fixture.date("2026-01-01T11:00:00Z"))
        let request = try #require(Fixture.sends(simulator.effects).first)
        #expect(request.context["event"] == trigger.json)
        #expect(request.context["latest"] == update.json)
        #expect(request.context["profile"]?["firstName"] == "Ada")
        #expect(request.context["vars"]?["cartTotal"] == .number(40))
        #expect(request.userId == "u1")
        #expect(request.journey == "cart")
        #expect(request.step == "email")
        #expect(request.channel == .email)
        #expect(request.requestedAt == Fixture.date("2026-01-01T10:30:00Z"))
        #expect(request.idempotencyKey.hasPrefix(request.instanceId + "/email/"))
    }

    @Test func instancesFinishOnTheVersionTheyEntered() throws {
        let v1 = try Fixture.journey(Fixture.cartJourney())
        var v2 = v1
        v2.version = 2
        v2.steps[1].send?.template = "cart-reminder-v2"
        var simulator = JourneySimulator(catalog: JourneyCatalog(journeys: [v1]), start: Fixture.date("2026-01-01T10:00:00Z"))
        simulator.deliver(Fixture.track("u1", "Cart Updated", ["cart_id": "A"], at: "2026-01-01T10:00:00Z"))
        let stored = simulator.states["u1"] ?? []
        let state = try UserJourneyState(decoding: stored, userId: "u1")
        let timer = try #require(simulator.timers.values.first)
        let published = JourneyCatalog(journeys: [v1, v2])
        let resumed = JourneyEngine.evaluate(state, input: .timer(timer, profile: [:]), now: timer.dueAt, catalog: published)
        #expect(Fixture.sends(resumed.effects).map(\.template) == ["cart-reminder"])
        #expect(published.journey(id: "cart")?.version == 2)
        #expect(published.journey(id: "cart", version: 1)?.steps[1].send?.template == "cart-reminder")
        let fresh = JourneyEngine.evaluate(
            UserJourneyState(userId: "u2"), input: .event(Fixture.track("u2", "Cart Updated", ["cart_id": "Z"], at: "2026-01-01T10:00:00Z"), profile: [:]),
            now: Fixture.date("2026-01-01T10:00:00Z"), catalog: published)
        #expect(fresh.state.instances.first?.version == 2)
    }

    @Test func aTriggerWithoutTheConcurrencyKeyDoesNotEnter() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let result = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: .event(Fixture.track("u1", "Cart Updated", ["total": 3], at: "2026-01-01T10:00:00Z"), profile: [:]),
            now: Fixture.date("2026-01-01T10:00:00Z"), catalog: catalog)
        #expect(result.state.instances.isEmpty)
        #expect(Fixture.trails(result.effects).map(\.kind) == [.notEntered(reason: "the trigger has no value at the concurrency key 'properties.cart_id'")])
    }

    @Test func instancesOfUnpublishedVersionsExitVisibly() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let entered = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: .event(Fixture.track("u1", "Cart Updated", ["cart_id": "A"], at: "2026-01-01T10:00:00Z"), profile: [:]),
            now: Fixture.date("2026-01-01T10:00:00Z"), catalog: catalog)
        let timer = try #require(Fixture.scheduled(entered.effects).first)
        let result = JourneyEngine.evaluate(
            entered.state, input: .event(Fixture.track("u1", "Page Viewed", at: "2026-01-01T10:05:00Z"), profile: [:]),
            now: Fixture.date("2026-01-01T10:05:00Z"), catalog: JourneyCatalog(journeys: []))
        #expect(result.state.instances.isEmpty)
        #expect(Fixture.cancelled(result.effects) == [timer.id])
        #expect(Fixture.trails(result.effects).map(\.kind) == [.exited(reason: "journeyRemoved")])
    }

    @Test func anonymousUsersAreKeyedByTheirAnonymousId() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let event = Event(type: .track, messageId: "m1", anonymousId: "visitor-7", event: "Cart Updated", properties: ["cart_id": "A"], timestamp: Fixture.date("2026-01-01T10:00:00Z"))
        let simulator = Fixture.simulate(catalog, [event], horizon: 3600)
        #expect(Fixture.sends(simulator.effects).map(\.userId) == ["anon:visitor-7"])
        #expect(simulator.timers.values.allSatisfy { $0.userId == "anon:visitor-7" })
    }

    @Test func staleTimersAreIgnoredVisibly() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let start = Fixture.date("2026-01-01T10:00:00Z")
        let entered = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: .event(Fixture.track("u1", "Cart Updated", ["cart_id": "A"], at: "2026-01-01T10:00:00Z"), profile: [:]),
            now: start, catalog: catalog)
        var timer = try #require(Fixture.scheduled(entered.effects).first)
        timer.dueAt = timer.dueAt.addingTimeInterval(-60)
        let result = JourneyEngine.evaluate(entered.state, input: .timer(timer, profile: [:]), now: timer.dueAt, catalog: catalog)
        #expect(Fixture.sends(result.effects).isEmpty)
        #expect(Fixture.trails(result.effects).map(\.kind) == [.staleTimer])
        #expect(result.state == entered.state)
    }

    @Test func journeysRoundTripThroughCodable() throws {
        let catalog = try JourneyCatalog.load(directory: Fixture.root.appendingPathComponent("config/journeys"))
        for journey in catalog.journeys {
            let data = try JSONEncoder().encode(journey)
            #expect(try Journey.decode(data) == journey)
            #expect(JourneyValidator.validate(data: data, file: journey.id).isEmpty)
        }
    }

    @Test func stateRoundTripsThroughItsEncoding() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        let result = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: .event(Fixture.track("u1", "Cart Updated", ["cart_id": "A", "total": 12.5], at: "2026-01-01T10:00:00Z"), profile: [:]),
            now: Fixture.date("2026-01-01T10:00:00Z"), catalog: catalog)
        let bytes = result.state.encoded()
        #expect(!bytes.isEmpty)
        #expect(try UserJourneyState(decoding: bytes, userId: "u1") == result.state)
        #expect(try UserJourneyState(decoding: [], userId: "u9") == UserJourneyState(userId: "u9"))
        #expect {
            _ = try UserJourneyState(decoding: Array("{oops".utf8), userId: "u1")
        } throws: { error in
            if case .notJSON = error as? UserJourneyStateError { return true }
            return false
        }
        #expect(throws: UserJourneyStateError.invalid(path: "$.instances[0].trigger", expected: "an event")) {
            _ = try UserJourneyState(decoding: Array(#"{"userId":"u1","instances":[{"id":"i","journey":"j","version":1,"key":"","step":"s","enteredAt":0}]}"#.utf8), userId: "u1")
        }
    }

    @Test func stateStaysBoundedAcrossManyFinishedInstances() throws {
        let catalog = try Fixture.catalog(Fixture.cartJourney())
        var events: [Event] = []
        for day in 1...28 {
            let stamp = "2026-02-\(day < 10 ? "0" : "")\(day)T10:00:00Z"
            events.append(Fixture.track("u1", "Cart Updated", ["cart_id": .string("cart-\(day)")], at: stamp))
        }
        var simulator = Fixture.simulate(catalog, events, horizon: 30 * 86_400)
        #expect(simulator.state(of: "u1").watches.count <= UserJourneyState.maximumWatches)
        // Closed goal windows are dropped on the user's next input.
        simulator.deliver(Fixture.track("u1", "Page Viewed", at: "2026-04-01T00:00:00Z"))
        let state = simulator.state(of: "u1")
        #expect(state.instances.isEmpty)
        #expect(state.watches.isEmpty, "goal windows of 7 days have closed")
        #expect(state.markers.count == 1)
        #expect(state.encoded().count < 300)
        #expect(Fixture.sends(simulator.effects).count == 56)
    }
}
