import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// `waitForEvent` action paths: several awaited events, each with its filter and next step.
@Suite struct RicherWaitsTests {
    /// Today 10:00 UTC, from the clock.
    static let base = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 + 36_000)

    static func at(_ offset: TimeInterval) -> String { ISO8601.format(base.addingTimeInterval(offset)) }

    /// The JSON block after `heading` in docs/journeys.md.
    static func documented(_ heading: String) throws -> String {
        let text = try String(contentsOf: Fixture.root.appendingPathComponent("docs/journeys.md"), encoding: .utf8)
        let section = try #require(text.range(of: heading)).upperBound
        let start = try #require(text.range(of: "```json\n", range: section..<text.endIndex)).upperBound
        let end = try #require(text.range(of: "\n```", range: start..<text.endIndex)).lowerBound
        return String(text[start..<end])
    }

    static func postPurchase() throws -> String { try documented("### Worked example: action paths after a purchase") }

    static func sentTemplates(_ simulator: JourneySimulator) -> [String: [String]] {
        Dictionary(grouping: Fixture.sends(simulator.effects)) { $0.userId }.mapValues { $0.map(\.template) }
    }

    static func pathRecords(_ simulator: JourneySimulator) -> [SimulationDecision] {
        simulator.records.compactMap { if case .decision(let decision) = $0, decision.kind == .path { return decision } else { return nil } }
    }

    @Test func theDocumentedPostPurchaseWaitTakesThePathOfTheFirstMatchingEvent() throws {
        let document = try Self.postPurchase()
        #expect(JourneyValidator.validate(data: Data(document.utf8), file: "post-purchase.json").isEmpty)
        let catalog = try Fixture.catalog(document)
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("ann", "Order Completed", ["order_id": "o-1"], at: Self.at(0)),
            Fixture.track("ann", "Review Submitted", ["order_id": "o-1", "rating": 5], at: Self.at(3600)),
            Fixture.track("ben", "Order Completed", ["order_id": "o-2"], at: Self.at(0)),
            // Another order's review does not end ben's wait; his own, rated 2, takes 'unhappy'.
            Fixture.track("ben", "Review Submitted", ["order_id": "o-other", "rating": 5], at: Self.at(1800)),
            Fixture.track("ben", "Review Submitted", ["order_id": "o-2", "rating": 2], at: Self.at(7200)),
            Fixture.track("cat", "Order Completed", ["order_id": "o-3"], at: Self.at(0)),
            Fixture.track("cat", "Return Started", ["order_id": "o-3"], at: Self.at(86_400)),
            Fixture.track("dan", "Order Completed", ["order_id": "o-4"], at: Self.at(0)),
        ], horizon: 30 * 86_400)
        #expect(Self.sentTemplates(simulator) == [
            "ann": ["referral"], "ben": ["support-follow-up"], "cat": ["return-help"], "dan": ["review-request"],
        ])
        let paths = Dictionary(uniqueKeysWithValues: Self.pathRecords(simulator).map { ($0.userId, $0) })
        #expect(paths["ann"]?.details["path"] == .number(0) && paths["ann"]?.details["name"] == "happy")
        #expect(paths["ann"]?.details["event"] == "Review Submitted" && paths["ann"]?.details["next"] == "ask-referral")
        #expect(paths["ben"]?.details["path"] == .number(1) && paths["ben"]?.details["name"] == "unhappy")
        #expect(paths["ben"]?.at == Fixture.date(Self.at(7200)), "the other order's review took no path")
        #expect(paths["cat"]?.details["name"] == "return" && paths["cat"]?.details["next"] == "return-help")
        #expect(paths["dan"]?.details["path"] == "timeout" && paths["dan"]?.details["event"] == .null)
        #expect(paths["dan"]?.at == Fixture.date(Self.at(14 * 86_400)))
        #expect(paths["ann"]?.details["step"] == "after-purchase" && paths["ann"]?.details["instanceId"]?.stringValue?.hasPrefix("post-purchase-") == true)
        #expect(Self.pathRecords(simulator).count == 4)
        #expect(paths["ann"].map { SimulationRecord.decision($0).humanLine.contains("PATH  ann  post-purchase  after-purchase path 'happy' on 'Review Submitted' → 'ask-referral'") } == true)
        // The trail: the event, then the path; every timer is gone.
        let trail = Fixture.trails(simulator.effects).filter { $0.userId == "ben" }.map(\.kind)
        let received = try #require(trail.firstIndex(of: .eventReceived("Review Submitted")))
        #expect(trail[received + 1] == .pathTaken(event: "Review Submitted", path: 1, name: "unhappy", next: "support"))
        #expect(trail.filter { $0.code == "eventReceived" }.count == 1)
        #expect(simulator.timers.isEmpty)
    }

    @Test func anEventNoPathTakesLeavesTheWaitAndItsTimerAsTheyWere() throws {
        let catalog = try Fixture.catalog(StepTests.journey("""
            {"id": "wait", "waitForEvent": {"timeout": "1d", "onTimeout": "late", "paths": [
              {"event": "Rated", "where": {"path": "properties.stars", "op": "gte", "value": 4}, "next": "good"},
              {"event": "Cancelled", "where": {"path": "profile.vip", "op": "eq", "value": true}, "next": "vip-cancel"}]}},
            {"id": "late", "send": {"channel": "email", "template": "late"}, "next": "end"},
            {"id": "good", "send": {"channel": "email", "template": "good"}, "next": "end"},
            {"id": "vip-cancel", "send": {"channel": "email", "template": "vip-cancel"}, "next": "end"},
            {"id": "end", "exit": {}}
            """))
        var simulator = JourneySimulator(catalog: catalog, start: Self.base)
        simulator.deliver(Fixture.track("u1", "Go", at: Self.at(0)))
        let timer = try #require(simulator.timers.values.first)
        simulator.deliver(Fixture.track("u1", "Rated", ["stars": 2], at: Self.at(600)))
        simulator.deliver(Fixture.track("u1", "Cancelled", at: Self.at(900)))
        #expect(simulator.timers.values.first == timer, "no path took them: the wait goes on")
        #expect(simulator.state(of: "u1").instances.first?.waiting?.timerId == timer.id)
        simulator.deliver(Fixture.track("u1", "Rated", ["stars": 5], at: Self.at(1200)))
        #expect(Fixture.sends(simulator.effects).map(\.template) == ["good"])
        #expect(simulator.timers.isEmpty)
        // A profile filter: a VIP's cancellation takes its path.
        simulator.deliver(Fixture.identify("u2", ["vip": true], at: Self.at(1300)))
        simulator.deliver(Fixture.track("u2", "Go", at: Self.at(1400)))
        simulator.deliver(Fixture.track("u2", "Cancelled", at: Self.at(1500)))
        #expect(Fixture.sends(simulator.effects).map(\.template) == ["good", "vip-cancel"])
    }

    @Test func theSingleEventFormKeepsWorkingAndMayFilterItsEvent() throws {
        let catalog = try Fixture.catalog(StepTests.journey("""
            {"id": "await", "waitForEvent": {"event": "Rated", "where": {"path": "properties.stars", "op": "gte", "value": 4}, "timeout": "1d", "onEvent": "good", "onTimeout": "late"}},
            {"id": "late", "send": {"channel": "email", "template": "late"}, "next": "end"},
            {"id": "good", "send": {"channel": "email", "template": "good"}, "next": "end"},
            {"id": "end", "exit": {}}
            """))
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Go", at: Self.at(0)),
            Fixture.track("u1", "Rated", ["stars": 1], at: Self.at(60)),
            Fixture.track("u2", "Go", at: Self.at(0)),
            Fixture.track("u2", "Rated", ["stars": 4], at: Self.at(60)),
        ], horizon: 3 * 86_400)
        #expect(Self.sentTemplates(simulator) == ["u1": ["late"], "u2": ["good"]])
        // No action paths: no path records, no pathTaken trail (as before paths existed).
        #expect(Self.pathRecords(simulator).isEmpty)
        #expect(!Fixture.trails(simulator.effects).contains { $0.kind.code == "pathTaken" })
    }

    @Test func interestTargetsAndReachabilityKnowEveryPath() throws {
        let journey = try Fixture.journey(try Self.postPurchase())
        #expect(journey.interest.isSuperset(of: ["Review Submitted", "Return Started"]))
        let step = try #require(journey.step("after-purchase"))
        #expect(Set(step.targets) == ["ask-review", "ask-referral", "support", "return-help"])
        #expect(JourneyValidator.reachable(journey) == Set(journey.steps.map(\.id)))
        #expect(step.waitForEvent?.label == "'Review Submitted' or 'Return Started'")
    }

    @Test func thePathTakenReadsBackFromTheCompactTrailLine() throws {
        for name in ["happy", nil] as [String?] {
            let entry = TrailEntry(
                userId: "u1", at: Self.base, journey: "post-purchase", version: 2, instanceId: "post-purchase-0123456789abcdef", step: "after-purchase",
                kind: .pathTaken(event: "Review Submitted", path: 1, name: name, next: "support"), message: "")
            let line = TrailRecord.encodeEntry([TrailRecord(entry)], atMilliseconds: 1)
            let record = try #require(TrailRecord.decodeEntry(line)?.records.first)
            #expect(record.code == "pathTaken" && line.contains("\nV2|"), "\(line)")
            #expect(record.sentence == (name == nil ? "Path 1 on 'Review Submitted' went to 'support'" : "Path 'happy' on 'Review Submitted' went to 'support'"))
            let json = record.json(at: nil)
            #expect(json["path"] == .number(1) && json["next"] == "support" && json["event"] == "Review Submitted")
            #expect(json["name"] == name.map(JSONValue.string))
            #expect(entry.json["kind"] == "pathTaken" && entry.json["path"] == .number(1))
        }
    }
}
