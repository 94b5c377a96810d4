import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// `count` and `lastSeen` conditions over the bounded per-user event summary.
@Suite struct EventSummaryTests {
    static let base = RicherWaitsTests.base
    static let day: TimeInterval = 86_400

    static func at(_ offset: TimeInterval) -> String { RicherWaitsTests.at(offset) }

    static func orderThanks() throws -> String { try RicherWaitsTests.documented("### Worked example: a count branch") }

    @Test func theDocumentedCountBranchSendsTheVIPMessageOnTheSecondOrderWithin30Days() throws {
        let document = try Self.orderThanks()
        #expect(JourneyValidator.validate(data: Data(document.utf8), file: "order-thanks.json").isEmpty)
        let catalog = try Fixture.catalog(document)
        #expect(catalog.summarizedEvents == ["Order Completed", "Login"])
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("ann", "Order Completed", ["n": 1], at: Self.at(0)),
            Fixture.track("ann", "Order Completed", ["n": 2], at: Self.at(10 * Self.day)),
            // 31 days after the one before: outside the last 30 days.
            Fixture.track("ben", "Order Completed", ["n": 1], at: Self.at(0)),
            Fixture.track("ben", "Order Completed", ["n": 2], at: Self.at(31 * Self.day)),
            // Last seen 100 days before the order: the win-back note; never seen: the plain thanks.
            Fixture.track("cat", "Login", at: Self.at(0)),
            Fixture.track("cat", "Order Completed", at: Self.at(100 * Self.day)),
            Fixture.track("dan", "Order Completed", at: Self.at(100 * Self.day)),
            Fixture.track("eve", "Login", at: Self.at(95 * Self.day)),
            Fixture.track("eve", "Order Completed", at: Self.at(100 * Self.day)),
        ], horizon: Self.day)
        #expect(RicherWaitsTests.sentTemplates(simulator) == [
            "ann": ["order-thanks", "vip-thanks"], "ben": ["order-thanks", "order-thanks"], "cat": ["welcome-back"], "dan": ["order-thanks"],
            "eve": ["order-thanks"],
        ])
        let taken = Fixture.trails(simulator.effects).filter { $0.userId == "ann" && $0.kind.code == "branchTaken" }.map(\.kind)
        #expect(taken == [.branchTaken("thanks"), .branchTaken("vip")])
        // Only the names conditions read are kept.
        #expect(Set(simulator.state(of: "cat").activity.keys) == ["Login", "Order Completed"])
        #expect(simulator.state(of: "ann").activity["Order Completed"]?.count(lastDays: 30, now: Fixture.date(Self.at(10 * Self.day))) == 2)
    }

    @Test func countsAndRecencyWorkInTriggerFiltersToo() throws {
        // The third order within a week enters; the summary counts the event before the filter reads it.
        let catalog = try Fixture.catalog("""
            {"id": "third", "trigger": {"behaviour": {"event": "Order Completed", "where": {"count": "Order Completed", "within": "1w", "op": "eq", "value": 3}}},
             "entry": {"reentry": "always"}, "steps": [{"id": "mail", "send": {"channel": "email", "template": "third"}}]}
            """)
        let simulator = Fixture.simulate(catalog, (0..<5).map { Fixture.track("u1", "Order Completed", ["n": .number(Double($0))], at: Self.at(Double($0) * 3600)) }, horizon: 0)
        #expect(Fixture.sends(simulator.effects).map(\.context["event"]?["properties"]?["n"]) == [.number(2)])
    }

    @Test func theSummaryIsBoundedByItsHorizonAndForgetsNamesNoJourneyReads() throws {
        let catalog = try Fixture.catalog(try Self.orderThanks())
        var simulator = JourneySimulator(catalog: catalog, start: Self.base)
        simulator.deliver(Fixture.track("u1", "Order Completed", at: Self.at(0)))
        simulator.deliver(Fixture.track("u1", "Page Viewed", at: Self.at(60)))
        #expect(Array(simulator.state(of: "u1").activity.keys) == ["Order Completed"], "names no condition reads are not kept")
        // 181 days later the day counts are gone, the last time is kept.
        simulator.deliver(Fixture.track("u1", "Login", at: Self.at(181 * Self.day)))
        let summary = try #require(simulator.state(of: "u1").activity["Order Completed"])
        #expect(summary.days.isEmpty && summary.last == Fixture.date(Self.at(0)))
        // A catalog that no longer reads them drops them.
        let other = try Fixture.catalog(StepTests.journey(#"{"id": "mail", "send": {"channel": "email", "template": "t"}}"#))
        let result = JourneyEngine.evaluate(
            simulator.state(of: "u1"), input: .event(Fixture.track("u1", "Go", at: Self.at(182 * Self.day)), profile: [:]),
            now: Fixture.date(Self.at(182 * Self.day)), catalog: other)
        #expect(result.state.activity.isEmpty)
        // At most 32 names, the least recently seen dropped first.
        var many = UserJourneyState(userId: "u2")
        let names = (0..<40).map { "Event \($0)" }
        for (position, name) in names.enumerated() { many.activity[name] = EventActivity(last: Self.base.addingTimeInterval(Double(position))) }
        let reading = JourneyCatalog(journeys: [try Fixture.journey(StepTests.journey(
            #"{"id": "b", "branch": {"cases": [{"when": {"any": ["# + names.map { #"{"lastSeen": "\#($0)", "op": "exists"}"# }.joined(separator: ",") + #"]}, "next": "m"}]}}, {"id": "m", "send": {"channel": "email", "template": "t"}}"#))])
        #expect(reading.summarizedEvents.count == 40)
        let pruned = JourneyEngine.evaluate(many, input: .refresh(userId: "u2", profile: [:]), now: Self.base.addingTimeInterval(60), catalog: reading).state
        #expect(Set(pruned.activity.keys) == Set(names.suffix(UserJourneyState.maximumSummarizedEvents)))
    }

    @Test func dayCountsAreExactAtTheirEdgesAndCapped() {
        var summary = EventActivity(last: Self.base)
        summary.days = [:]
        let now = Self.base
        for offset in [0, 1, 29, 30, 179, 180] {
            summary.record(at: now.addingTimeInterval(-Double(offset) * Self.day), now: now)
        }
        #expect(summary.count(lastDays: 1, now: now) == 1)
        #expect(summary.count(lastDays: 30, now: now) == 3, "today and the 29 days before")
        #expect(summary.count(lastDays: 180, now: now) == 5, "180 days ago is past the horizon")
        #expect(summary.last == now)
        // A future timestamp counts as now.
        summary.record(at: now.addingTimeInterval(7 * Self.day), now: now)
        #expect(summary.last == now && summary.count(lastDays: 1, now: now) == 2)
        var busy = EventActivity(last: now)
        for _ in 0..<(EventActivity.maximumDailyCount + 5) { busy.record(at: now, now: now) }
        #expect(busy.days[EventActivity.day(now)] == EventActivity.maximumDailyCount)
    }

    @Test func conditionsReadTheSummaryAtNow() throws {
        let now = Self.base
        var summary = EventActivity(last: now.addingTimeInterval(-8 * Self.day))
        summary.record(at: now.addingTimeInterval(-8 * Self.day), now: now)
        let scope = ConditionScope(event: .object([:]), profile: [:], activity: ["Login": summary], now: now)
        func holds(_ json: String) throws -> Bool { try JSONDecoder().decode(JourneyCondition.self, from: Data(json.utf8)).holds(in: scope) }
        #expect(try holds(#"{"lastSeen": "Login", "op": "gt", "value": "7d"}"#))
        #expect(try !holds(#"{"lastSeen": "Login", "op": "gt", "value": "9d"}"#))
        #expect(try holds(#"{"lastSeen": "Login", "op": "lte", "value": "9d"}"#))
        #expect(try holds(#"{"lastSeen": "Login", "op": "exists"}"#))
        #expect(try !holds(#"{"lastSeen": "Order", "op": "exists"}"#) && holds(#"{"lastSeen": "Order", "op": "notExists"}"#))
        #expect(try !holds(#"{"lastSeen": "Order", "op": "gt", "value": "7d"}"#), "never seen is not 'more than 7 days ago'")
        #expect(try holds(#"{"count": "Login", "within": "9d", "op": "eq", "value": 1}"#))
        #expect(try holds(#"{"count": "Login", "within": "8d", "op": "eq", "value": 0}"#))
        #expect(try holds(#"{"count": "Order", "within": "30d", "op": "lt", "value": 1}"#))
        // Without a time (a scope built elsewhere) neither form holds.
        let timeless = ConditionScope(event: .object([:]), profile: [:], activity: ["Login": summary])
        #expect(!JourneyCondition.count(event: "Login", within: JourneyDuration("9d")!, op: .gte, value: 1).holds(in: timeless))
        // The forms encode back to what they decode from.
        for json in [#"{"count":"Login","op":"gte","value":2,"within":"30d"}"#, #"{"lastSeen":"Login","op":"gt","value":"7d"}"#, #"{"lastSeen":"Login","op":"notExists"}"#] {
            let condition = try JSONDecoder().decode(JourneyCondition.self, from: Data(json.utf8))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            #expect(String(decoding: try encoder.encode(condition), as: UTF8.self) == json)
        }
    }

    @Test func theSummaryRoundTripsInBothStoredFormsAndOlderBlobsStillRead() throws {
        let now = Self.base
        var state = UserJourneyState(userId: "u1")
        var orders = EventActivity(last: now)
        for offset in [0.0, 0, 3, 40, 170] { orders.record(at: now.addingTimeInterval(-offset * Self.day), now: now) }
        state.activity["Order Completed"] = orders
        state.activity["Login"] = EventActivity(last: now.addingTimeInterval(-400 * Self.day))
        #expect(!state.isEmpty)
        let decoded = try UserJourneyState(decoding: state.encoded(), userId: "u1")
        #expect(decoded == state)
        #expect(try UserJourneyState(decoding: Array(state.json.serialized().utf8), userId: "u1") == state, "the JSON text form")
        #expect(state.json["activity"]?["Order Completed"]?["c"] != nil && state.json["activity"]?["Login"]?["c"] == nil)
        // A blob written before the summary existed reads with an empty one.
        var older = UserJourneyState(userId: "u1")
        older.timers["birthday"] = now
        let olderBlob = older.encoded()
        #expect(try UserJourneyState(decoding: olderBlob, userId: "u1").activity.isEmpty)
        #expect(try UserJourneyState(decoding: Array(#"{"userId":"u1","timers":{"birthday":1}}"#.utf8), userId: "u1").activity.isEmpty)
        // Unreadable summaries fail closed.
        for bad in [#""activity":{"Login":{"at":1,"c":"zz"}}"#, #""activity":{"Login":{"c":"0101"}}"#, #""activity":[1]"#, #""activity":{"Login":{"at":1,"c":"0100"}}"#] {
            #expect(throws: UserJourneyStateError.self) { try UserJourneyState(decoding: Array(#"{"userId":"u1",\#(bad)}"#.utf8), userId: "u1") }
        }
    }

    @Test func oneNamesWorstCaseStaysWithinItsDocumentedBytes() throws {
        // Whole milliseconds, as stored.
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded() / 1000)
        let today = EventActivity.day(now)
        var worst = EventActivity(last: now)
        // Every day of the horizon, at the daily cap.
        for offset in 0..<EventActivity.horizonDays { worst.days[today - offset] = EventActivity.maximumDailyCount }
        let empty = UserJourneyState(userId: "u1")
        var full = empty
        let name = "Order Completed"
        full.activity[name] = worst
        // The member `activity` (1 + 8 bytes), its object's tag and count (2), the name (1 + its length).
        let overhead = 9 + 2 + 1 + name.utf8.count
        let perName = full.encoded().count - empty.encoded().count - overhead
        #expect(perName <= EventActivity.maximumStoredBytes, "\(perName) bytes")
        #expect(perName > 540, "the bound is near the real worst case: \(perName) bytes")
        // A few orders take a few bytes.
        var typical = empty
        var few = EventActivity(last: now)
        for offset in [0.0, 12, 50] { few.record(at: now.addingTimeInterval(-offset * Self.day), now: now) }
        typical.activity[name] = few
        #expect(typical.encoded().count - empty.encoded().count - overhead <= 20)
        #expect(try UserJourneyState(decoding: full.encoded(), userId: "u1") == full)
    }
}
