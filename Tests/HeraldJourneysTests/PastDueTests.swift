import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

@Suite struct PastDueTests {
    /// Enters a cart journey whose 30-minute wait uses `policy`, then fires its timer `lateBy` seconds late.
    static func fire(policy: String, lateBy: TimeInterval) throws -> JourneyEvaluation {
        let json = """
            {"id": "cart", "trigger": {"behaviour": {"event": "Cart Updated"}},
             "defaults": {"pastDueAfter": "10m"},
             "steps": [
               {"id": "wait-30m", "wait": {"duration": "30m"}, "pastDue": \(policy)},
               {"id": "email", "send": {"channel": "email", "template": "cart-reminder"}},
               {"id": "wait-1d", "wait": {"duration": "1d"}}
             ]}
            """
        let catalog = try Fixture.catalog(json)
        let entered = JourneyEngine.evaluate(
            UserJourneyState(userId: "u1"), input: .event(Fixture.track("u1", "Cart Updated", at: "2026-01-01T10:00:00Z"), profile: [:]),
            now: Fixture.date("2026-01-01T10:00:00Z"), catalog: catalog)
        let timer = try #require(Fixture.scheduled(entered.effects).first)
        return JourneyEngine.evaluate(entered.state, input: .timer(timer, profile: [:]), now: timer.dueAt.addingTimeInterval(lateBy), catalog: catalog)
    }

    @Test func onTimeTimersApplyNoPolicy() throws {
        let result = try Self.fire(policy: "\"fail\"", lateBy: 5 * 60)
        #expect(Fixture.sends(result.effects).count == 1)
        #expect(Fixture.stats(result.effects, .pastDue) == 0)
        #expect(Fixture.trails(result.effects).first?.kind == .timerFired(latenessMs: 300_000))
    }

    @Test func sendLateSendsAndRecordsIt() throws {
        let result = try Self.fire(policy: "\"sendLate\"", lateBy: 3 * 3600)
        #expect(Fixture.sends(result.effects).count == 1)
        #expect(Fixture.stats(result.effects, .pastDue) == 1)
        #expect(Fixture.trails(result.effects).contains { $0.kind == .pastDue(policy: "sendLate", latenessMs: 10_800_000) })
    }

    @Test func skipIfLaterThanSkipsOnlyBeyondItsLimit() throws {
        let within = try Self.fire(policy: #"{"skipIfLaterThan": "2h"}"#, lateBy: 3600)
        #expect(Fixture.sends(within.effects).count == 1)
        let beyond = try Self.fire(policy: #"{"skipIfLaterThan": "2h"}"#, lateBy: 3 * 3600)
        #expect(Fixture.sends(beyond.effects).isEmpty)
        #expect(Fixture.trails(beyond.effects).contains { $0.kind == .sendSkipped(template: "cart-reminder") })
        #expect(beyond.state.instances.first?.waiting?.step == "wait-1d", "the journey carries on past the skipped send")
        #expect(Fixture.stats(beyond.effects, .pastDue) == 1)
    }

    @Test func failExitsVisiblyWithATrailAndAStat() throws {
        let result = try Self.fire(policy: "\"fail\"", lateBy: 3600)
        #expect(Fixture.sends(result.effects).isEmpty)
        #expect(result.state.instances.isEmpty)
        #expect(Fixture.trails(result.effects).contains { $0.kind == .pastDue(policy: "fail", latenessMs: 3_600_000) })
        #expect(Fixture.trails(result.effects).contains { $0.kind == .exited(reason: "pastDue") })
        #expect(Fixture.stats(result.effects, .pastDue) == 1)
        #expect(Fixture.stats(result.effects, .exited) == 1)
    }
}
