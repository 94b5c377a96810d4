import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// Audience triggers and audience exits: a profile that starts or stops meeting conditions, on identify and refresh.
@Suite struct AudienceTests {
    /// A moment derived from the clock: the results never depend on the date the tests run.
    let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600)

    func at(hours: Double) -> String { ISO8601.format(start.addingTimeInterval(hours * 3600)) }

    let trial = """
        {"id": "trial-nurture", "trigger": {"audience": {"where": {"path": "profile.plan", "op": "eq", "value": "trial"}}},
         "exit": {"leavesAudience": true},
         "steps": [
           {"id": "welcome", "send": {"channel": "email", "template": "welcome"}},
           {"id": "wait-3d", "wait": {"duration": "3d"}},
           {"id": "tips", "send": {"channel": "email", "template": "trial-tips"}}
         ]}
        """

    @Test func entersWhenTheProfileStartsMatchingAndOnlyThen() throws {
        let simulator = Fixture.simulate(try Fixture.catalog(trial), [
            Fixture.identify("u1", ["plan": "free"], at: at(hours: 0)),
            Fixture.identify("u1", ["plan": "trial"], at: at(hours: 1)),
            Fixture.identify("u1", ["plan": "trial", "name": "Ann"], at: at(hours: 2)),
        ])
        // One entry for the change to trial; the second identify still matches and enters nobody.
        #expect(Fixture.sendTimes(simulator, template: "welcome") == [Fixture.date(at(hours: 1))])
        #expect(Fixture.sendTimes(simulator, template: "trial-tips") == [Fixture.date(at(hours: 1 + 72))])
    }

    @Test func leavingTheAudienceEndsTheWaitAndMatchingAgainEntersAgain() throws {
        let simulator = Fixture.simulate(try Fixture.catalog(trial), [
            Fixture.identify("u1", ["plan": "trial"], at: at(hours: 0)),
            Fixture.identify("u1", ["plan": "paid"], at: at(hours: 5)),
            Fixture.identify("u1", ["plan": "trial"], at: at(hours: 100)),
        ])
        #expect(Fixture.sendTimes(simulator, template: "welcome") == [Fixture.date(at(hours: 0)), Fixture.date(at(hours: 100))])
        // The first instance's tips never go: it left the audience during the wait.
        #expect(Fixture.sendTimes(simulator, template: "trial-tips") == [Fixture.date(at(hours: 172))])
        let exits = simulator.records.compactMap { record -> (Date, String)? in
            if case .exit(let when, _, _, _, let reason) = record { return (when, reason) }
            return nil
        }
        #expect(exits.first.map { $0.1 } == "leftAudience")
        #expect(exits.first.map { $0.0 } == Fixture.date(at(hours: 5)))
    }

    @Test func leavingTheAudienceCancelsTheTimerInOneEvaluation() throws {
        let catalog = try Fixture.catalog(trial)
        var state = UserJourneyState(userId: "u1")
        let now = start
        let entered = JourneyEngine.evaluate(
            state, input: .event(Fixture.identify("u1", ["plan": "trial"], at: at(hours: 0)), profile: ["plan": "trial"]), now: now,
            catalog: catalog)
        state = entered.state
        let timer = try #require(Fixture.scheduled(entered.effects).first)
        #expect(state.counters["trial-nurture"]?.matching == true)
        let left = JourneyEngine.evaluate(
            state, input: .event(Fixture.identify("u1", ["plan": "paid"], at: at(hours: 1)), profile: ["plan": "paid"]),
            now: now.addingTimeInterval(3600), catalog: catalog)
        #expect(left.state.instances.isEmpty)
        #expect(Fixture.cancelled(left.effects) == [timer.id])
        #expect(left.state.counters["trial-nurture"] == nil)
        #expect(Fixture.trails(left.effects).contains { $0.kind == .exited(reason: "leftAudience") })
    }

    @Test func anExitAudienceEndsABehaviourJourneyWhenTheProfileStopsMeetingIt() throws {
        let catalog = try Fixture.catalog("""
            {"id": "vip-offer", "trigger": {"behaviour": {"event": "Product Viewed"}},
             "exit": {"audience": {"path": "profile.vip", "op": "eq", "value": true}},
             "steps": [{"id": "wait-1d", "wait": {"duration": "1d"}}, {"id": "offer", "send": {"channel": "email", "template": "vip-offer"}}]}
            """)
        let simulator = Fixture.simulate(catalog, [
            Fixture.identify("u1", ["vip": true], at: at(hours: 0)),
            Fixture.identify("u2", ["vip": true], at: at(hours: 0)),
            Fixture.track("u1", "Product Viewed", at: at(hours: 1)),
            Fixture.track("u2", "Product Viewed", at: at(hours: 1)),
            Fixture.identify("u2", ["vip": false], at: at(hours: 2)),
        ])
        let offers = simulator.records.compactMap { record -> String? in
            if case .send(_, let user, _, _, _, "vip-offer") = record { return user }
            return nil
        }
        #expect(offers == ["u1"])
    }

    @Test func aRefreshEntersAUserWhoAlreadyMatches() throws {
        let catalog = try Fixture.catalog(trial)
        let evaluation = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: .refresh(userId: "u1", profile: ["plan": "trial"]), now: start, catalog: catalog)
        #expect(Fixture.sends(evaluation.effects).map(\.template) == ["welcome"])
        #expect(evaluation.state.instances.first?.trigger.value["event"]?.stringValue == "$audience")
        let again = JourneyEngine.evaluate(
            evaluation.state, input: .refresh(userId: "u1", profile: ["plan": "trial"]), now: start.addingTimeInterval(60), catalog: catalog)
        #expect(Fixture.sends(again.effects).isEmpty)
    }

    @Test func theMatchingFlagSurvivesTheStoredForms() throws {
        var state = UserJourneyState(userId: "u1")
        state.counters["trial-nurture"] = TriggerCounter(matching: true)
        #expect(try UserJourneyState(decoding: state.encoded(), userId: "u1") == state)
        #expect(try UserJourneyState(json: state.json) == state)
    }

    @Test func theValidatorKeepsAudiencesOnTheProfile() {
        let issues = JourneyValidator.validate(data: Data("""
            {"id": "bad", "trigger": {"audience": {"where": {"path": "properties.plan", "op": "eq", "value": "trial"}}},
             "steps": [{"id": "a", "send": {"channel": "email", "template": "welcome"}}]}
            """.utf8), file: "bad.json").map(\.description)
        #expect(issues.contains { $0.contains("$.trigger.audience.where.path") && $0.contains("profile.*") })
        let misplaced = JourneyValidator.validate(data: Data("""
            {"id": "bad", "trigger": {"behaviour": {"event": "Signed Up"}}, "exit": {"leavesAudience": true},
             "steps": [{"id": "a", "send": {"channel": "email", "template": "welcome"}}]}
            """.utf8), file: "bad.json").map(\.description)
        #expect(misplaced.contains { $0.contains("$.exit.leavesAudience") })
        let unknown = JourneyValidator.validate(data: Data("""
            {"id": "bad", "trigger": {"audience": {"where": {"path": "profile.plan", "op": "eq", "value": "trial"}, "when": 1}},
             "steps": [{"id": "a", "send": {"channel": "email", "template": "welcome"}}]}
            """.utf8), file: "bad.json").map(\.description)
        #expect(unknown.contains { $0.contains("$.trigger.audience.when") })
        let timely = JourneyValidator.validate(data: Data("""
            {"id": "bad", "trigger": {"audience": {"where": {"count": "Order Completed", "within": "30d", "op": "gte", "value": 2}}},
             "steps": [{"id": "a", "send": {"channel": "email", "template": "welcome"}}]}
            """.utf8), file: "bad.json").map(\.description)
        #expect(timely.contains { $0.contains("$.trigger.audience.where") && $0.contains("count and lastSeen") })
    }
}
