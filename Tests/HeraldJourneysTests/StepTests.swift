import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

@Suite struct StepTests {
    static func journey(_ steps: String, extra: String = "") -> String {
        """
        {"id": "steps", "trigger": {"behaviour": {"event": "Go"}}, "entry": {"reentry": "always", "maxLiveInstancesPerUser": 50}, \(extra)
         "steps": [\(steps)]}
        """
    }

    @Test func windowWaitMovesToTheNextWeekdayOpeningInTheUsersZone() throws {
        let catalog = try Fixture.catalog(Self.journey("""
            {"id": "daytime", "wait": {"window": {"from": "09:00", "to": "18:00", "days": ["mon", "tue", "wed", "thu", "fri"]}}},
            {"id": "mail", "send": {"channel": "email", "template": "review-request"}}
            """))
        var simulator = JourneySimulator(catalog: catalog, start: Fixture.date("2026-01-01T00:00:00Z"))
        simulator.deliver(Fixture.identify("u1", ["timezone": "America/Los_Angeles"], at: "2026-01-01T00:00:00Z"))
        // Friday 2026-01-09 19:30 in Los Angeles (Saturday 03:30 UTC): next opening Monday 09:00 PST = 17:00 UTC.
        simulator.deliver(Fixture.track("u1", "Go", at: "2026-01-10T03:30:00Z"))
        // Tuesday 2026-01-13 10:00 PST is inside the window: no wait.
        simulator.deliver(Fixture.track("u1", "Go", ["n": 2], at: "2026-01-13T18:00:00Z"))
        simulator.advance(to: Fixture.date("2026-02-01T00:00:00Z"))
        #expect(Fixture.sendTimes(simulator, template: "review-request") == [
            Fixture.date("2026-01-12T17:00:00Z"), Fixture.date("2026-01-13T18:00:00Z"),
        ])
    }

    @Test func untilDateWaitsForADateFromTheEventWithAnOffset() throws {
        let catalog = try Fixture.catalog(Self.journey("""
            {"id": "before-trip", "wait": {"untilDate": {"path": "properties.departsAt", "offset": "-1d"}}},
            {"id": "mail", "send": {"channel": "email", "template": "welcome"}}
            """))
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Go", ["departsAt": "2026-05-10T08:00:00Z"], at: "2026-05-01T00:00:00Z"),
            Fixture.track("u2", "Go", [:], at: "2026-05-01T00:00:00Z"),
        ])
        let times = simulator.records.compactMap { if case .send(let at, let user, _, _, _, _) = $0 { return "\(user)@\(ISO8601.format(at))" } else { return nil } }
        #expect(times == ["u2@2026-05-01T00:00:00.000Z", "u1@2026-05-09T08:00:00.000Z"], "no date at the path means no wait")
    }

    static let waitForReply = journey("""
        {"id": "ask", "send": {"channel": "email", "template": "review-request"}},
        {"id": "await", "waitForEvent": {"event": "Review Submitted", "match": ["properties.order_id"], "timeout": "2d", "onEvent": "thanks", "onTimeout": "nudge"}},
        {"id": "nudge", "send": {"channel": "push", "template": "review-request"}, "next": "end"},
        {"id": "thanks", "send": {"channel": "email", "template": "welcome"}},
        {"id": "end", "exit": {"reason": "done"}}
        """)

    @Test func waitForEventTakesOnEventWhenTheMatchingEventArrives() throws {
        let simulator = Fixture.simulate(try Fixture.catalog(Self.waitForReply), [
            Fixture.track("u1", "Go", ["order_id": "o1"], at: "2026-01-01T10:00:00Z"),
            Fixture.track("u1", "Review Submitted", ["order_id": "other"], at: "2026-01-01T11:00:00Z"),
            Fixture.track("u1", "Review Submitted", ["order_id": "o1"], at: "2026-01-01T12:00:00Z"),
        ])
        #expect(Fixture.sends(simulator.effects).map(\.step) == ["ask", "thanks"])
        #expect(Fixture.cancelled(simulator.effects).count == 1)
        #expect(simulator.timers.isEmpty)
        #expect(simulator.records.last == .exit(at: Fixture.date("2026-01-01T12:00:00Z"), userId: "u1", journey: "steps", exit: "exitStep", reason: "exitStep: done"))
    }

    @Test func waitForEventTakesOnTimeoutWhenNothingArrives() throws {
        let simulator = Fixture.simulate(try Fixture.catalog(Self.waitForReply), [
            Fixture.track("u1", "Go", ["order_id": "o1"], at: "2026-01-01T10:00:00Z"),
        ])
        #expect(Fixture.sends(simulator.effects).map(\.step) == ["ask", "nudge"])
        #expect(Fixture.sends(simulator.effects).last?.requestedAt == Fixture.date("2026-01-03T10:00:00Z"))
    }

    @Test func branchTestsConditionsAndEventsSinceEntry() throws {
        let catalog = try Fixture.catalog(Self.journey("""
            {"id": "pause", "wait": {"duration": "1d"}},
            {"id": "choose", "branch": {"cases": [
                {"when": {"happened": "Order Completed"}, "next": "buyer"},
                {"when": {"path": "properties.total", "op": "gt", "value": 100}, "next": "big"}], "default": "small"}},
            {"id": "buyer", "exit": {"reason": "bought"}},
            {"id": "big", "send": {"channel": "email", "template": "big"}, "next": "end"},
            {"id": "small", "send": {"channel": "email", "template": "small"}},
            {"id": "end", "exit": {}}
            """))
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("buyer", "Go", ["total": 500], at: "2026-01-01T10:00:00Z"),
            Fixture.track("buyer", "Order Completed", at: "2026-01-01T12:00:00Z"),
            Fixture.track("big", "Go", ["total": 500], at: "2026-01-01T10:00:00Z"),
            Fixture.track("small", "Go", ["total": 5], at: "2026-01-01T10:00:00Z"),
        ])
        let sends = Dictionary(grouping: Fixture.sends(simulator.effects)) { $0.userId }.mapValues { $0.map(\.template) }
        #expect(sends == ["big": ["big"], "small": ["small"]])
        let taken = Fixture.trails(simulator.effects).filter { $0.kind.code == "branchTaken" }.map { "\($0.userId)->\($0.kind.details["next"]?.stringValue ?? "")" }
        #expect(taken.sorted() == ["big->big", "buyer->buyer", "small->small"])
    }

    @Test func splitHoldoutExitsAndIsRecorded() throws {
        let catalog = try Fixture.catalog(Self.journey("""
            {"id": "ab", "split": {"groups": [
                {"name": "control", "percent": 20, "holdout": true},
                {"name": "email", "percent": 80}]}},
            {"id": "mail", "send": {"channel": "email", "template": "welcome"}}
            """))
        let events = (0..<200).map { Fixture.track("user-\($0)", "Go", at: "2026-01-01T10:00:00Z") }
        let simulator = Fixture.simulate(catalog, events)
        let holdouts = simulator.records.filter { if case .exit(_, _, _, "holdout", _) = $0 { return true } else { return false } }
        #expect(holdouts.count == Int(Fixture.stats(simulator.effects, .holdout)))
        #expect(holdouts.count + Fixture.sends(simulator.effects).count == 200)
        #expect(holdouts.count > 10 && holdouts.count < 80)
        let mailed = Set(Fixture.sends(simulator.effects).map(\.userId))
        #expect(holdouts.allSatisfy { !mailed.contains($0.userId) })
        #expect(Fixture.sends(simulator.effects).allSatisfy { $0.context["vars"]?["split"] == "email" })
    }

    @Test func splitIsDeterministicAndNearItsPercentages() throws {
        let catalog = try Fixture.catalog(Self.journey("""
            {"id": "abc", "split": {"groups": [
                {"name": "a", "percent": 50, "next": "a"}, {"name": "b", "percent": 30, "next": "b"}, {"name": "c", "percent": 20, "next": "c"}]}},
            {"id": "a", "send": {"channel": "email", "template": "a"}, "next": "end"},
            {"id": "b", "send": {"channel": "email", "template": "b"}, "next": "end"},
            {"id": "c", "send": {"channel": "email", "template": "c"}, "next": "end"},
            {"id": "end", "exit": {}}
            """))
        func assign() -> [String: String] {
            var groups: [String: String] = [:]
            for user in 0..<10_000 {
                let event = Fixture.track("user-\(user)", "Go", at: "2026-01-01T10:00:00Z")
                let result = JourneyEngine.evaluate(UserJourneyState(userId: event.userKey), input: .event(event, profile: [:]), now: event.timestamp, catalog: catalog)
                groups[event.userKey] = Fixture.sends(result.effects).first?.template
            }
            return groups
        }
        let first = assign()
        #expect(first == assign(), "the same users land in the same groups")
        let counts = Dictionary(grouping: first.values) { $0 }.mapValues(\.count)
        #expect(abs((counts["a"] ?? 0) - 5000) < 250)
        #expect(abs((counts["b"] ?? 0) - 3000) < 250)
        #expect(abs((counts["c"] ?? 0) - 2000) < 250)
    }

    @Test func exitStepEndsAndStepsAfterItDoNotRun() throws {
        let catalog = try Fixture.catalog(Self.journey("""
            {"id": "mail", "send": {"channel": "email", "template": "welcome"}, "next": "stop"},
            {"id": "never", "send": {"channel": "sms", "template": "never"}},
            {"id": "stop", "exit": {"reason": "enough"}}
            """))
        let result = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: .event(Fixture.track("u1", "Go", at: "2026-01-01T10:00:00Z"), profile: [:]),
            now: Fixture.date("2026-01-01T10:00:00Z"), catalog: catalog)
        #expect(Fixture.sends(result.effects).map(\.template) == ["welcome"])
        #expect(result.state.instances.isEmpty)
        #expect(result.state.markers["steps"]?.exitedAt == Fixture.date("2026-01-01T10:00:00Z"))
        #expect(Fixture.trails(result.effects).last?.kind == .exited(reason: "exitStep: enough"))
    }

    @Test func cyclesWithoutAWaitAreCut() throws {
        let catalog = try Fixture.catalog(Self.journey("""
            {"id": "loop", "branch": {"cases": [{"when": {"path": "properties.x", "op": "notExists"}, "next": "loop"}]}}
            """))
        let result = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: .event(Fixture.track("u1", "Go", at: "2026-01-01T10:00:00Z"), profile: [:]),
            now: Fixture.date("2026-01-01T10:00:00Z"), catalog: catalog)
        #expect(result.state.instances.isEmpty)
        #expect(Fixture.trails(result.effects).last?.kind.code == "exited")
        #expect(Fixture.trails(result.effects).last?.message.contains("stepLimit") == true)
    }
}
