import Foundation
import HeraldCore
import HeraldTemplates
import Testing
@testable import HeraldJourneys

/// The simulator shows every decision, and a fleet that was slow or down: timers handled late make
/// the past-due policies act, each with a record of what it did. Times come from the clock.
@Suite struct SimulatorDecisionsTests {
    /// Now, in whole seconds (timers keep milliseconds).
    static let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))

    static func cart(policy: String) -> String {
        """
        {"id": "cart", "trigger": {"behaviour": {"event": "Cart Updated"}},
         "entry": {"concurrencyKey": "properties.cart_id", "maxResets": 1},
         "goal": {"event": "Order Completed", "within": "7d", "revenue": "properties.total", "match": ["properties.cart_id"]},
         "defaults": {"pastDueAfter": "10m"},
         "steps": [
           {"id": "wait-30m", "wait": {"duration": "30m"}, "pastDue": \(policy)},
           {"id": "email", "send": {"channel": "email", "template": "cart-reminder"}},
           {"id": "wait-1d", "wait": {"duration": "1d"}}
         ]}
        """
    }

    static func event(_ user: String, _ name: String, _ properties: [String: JSONValue] = [:], after seconds: TimeInterval, id: String) -> Event {
        Event(type: .track, messageId: id, userId: user, event: name, properties: properties, timestamp: start.addingTimeInterval(seconds))
    }

    static func decisions(_ records: [SimulationRecord], _ kind: SimulationDecisionKind) -> [SimulationDecision] {
        records.compactMap { if case .decision(let decision) = $0, decision.kind == kind { return decision } else { return nil } }
    }

    static func run(_ journeys: [String], _ events: [Event], lag: TimeInterval = 0, down: [DateInterval] = [], templates: TemplateLibrary? = nil, horizonDays: Double = 3) throws -> JourneySimulator {
        var simulator = JourneySimulator(catalog: JourneyCatalog(journeys: try journeys.map(Fixture.journey)), start: start)
        simulator.timerLag = lag
        simulator.downtimes = down
        simulator.templates = templates
        simulator.replay(events, horizon: horizonDays * 86_400)
        return simulator
    }

    @Test func aTimerLagMakesEachPastDuePolicyActAndSaysWhatItDid() throws {
        let events = [Self.event("u1", "Cart Updated", ["cart_id": "c1"], after: 0, id: "m1")]
        let due = Self.start.addingTimeInterval(1800)
        let late = try Self.run([Self.cart(policy: #""sendLate""#)], events, lag: 3 * 3600)
        let sendLate = try #require(Self.decisions(late.records, .pastDue).first)
        #expect(sendLate.details["step"] == "wait-30m" && sendLate.details["policy"] == "sendLate")
        #expect(sendLate.details["dueAt"]?.stringValue == ISO8601.format(due) && sendLate.details["latenessMs"] == .number(10_800_000))
        #expect(sendLate.details["decision"] == "continued late, 1 send requested")
        #expect(Fixture.sendTimes(late, template: "cart-reminder") == [due.addingTimeInterval(3 * 3600)])

        let skip = try Self.run([Self.cart(policy: #"{"skipIfLaterThan": "2h"}"#)], events, lag: 3 * 3600)
        #expect(Self.decisions(skip.records, .pastDue).first?.details["decision"] == "skipped 1 send")
        #expect(Self.decisions(skip.records, .sendSkipped).map { $0.details["template"] } == ["cart-reminder"])
        #expect(Fixture.sendTimes(skip, template: "cart-reminder").isEmpty)

        let fail = try Self.run([Self.cart(policy: #""fail""#)], events, lag: 3 * 3600)
        #expect(Self.decisions(fail.records, .pastDue).first?.details["decision"] == "failed: the instance exited (pastDue)")
        #expect(fail.records.contains { if case .exit(_, "u1", "cart", "pastDue", _) = $0 { return true } else { return false } })

        // Within pastDueAfter, and on time: no policy acts.
        let small = try Self.run([Self.cart(policy: #""fail""#)], events, lag: 5 * 60)
        #expect(Self.decisions(small.records, .pastDue).isEmpty && Fixture.sendTimes(small, template: "cart-reminder") == [due.addingTimeInterval(300)])
        #expect(Self.decisions(try Self.run([Self.cart(policy: #""fail""#)], events).records, .pastDue).isEmpty)
    }

    @Test func aDowntimeHoldsTimersAndEventsUntilTheFleetIsBack() throws {
        let back = Self.start.addingTimeInterval(4 * 3600)
        let down = DateInterval(start: Self.start.addingTimeInterval(600), end: back)
        let events = [
            Self.event("u1", "Cart Updated", ["cart_id": "c1"], after: 0, id: "m1"),
            Self.event("u2", "Cart Updated", ["cart_id": "c2"], after: 3600, id: "m2"),
        ]
        let simulator = try Self.run([Self.cart(policy: #"{"skipIfLaterThan": "2h"}"#)], events, down: [down])
        let pastDue = Self.decisions(simulator.records, .pastDue)
        #expect(pastDue.map(\.userId) == ["u1"] && pastDue.first?.at == back, "u1's timer, due while down, fires when the fleet is back")
        #expect(pastDue.first?.details["decision"] == "skipped 1 send")
        let entries = Self.decisions(simulator.records, .entered)
        #expect(entries.map(\.at) == [Self.start, back], "u2's event waited for the fleet too")
        #expect(Fixture.sendTimes(simulator, template: "cart-reminder") == [back.addingTimeInterval(1800)], "u2's wait starts when its event is handled")
    }

    @Test func entriesRefusalsSplitsResetsAndConversionsAreRecorded() throws {
        let split = """
            {"id": "promo", "trigger": {"behaviour": {"event": "Go"}}, "entry": {"reentry": "never"},
             "steps": [{"id": "ab", "split": {"groups": [{"name": "a", "percent": 50}, {"name": "b", "percent": 50}]}},
                       {"id": "mail", "send": {"channel": "email", "template": "promo"}}]}
            """
        let dated = """
            {"id": "dated", "trigger": {"date": {"recurring": {"every": "month", "day": -1}, "time": "09:00", "where": {"path": "profile.optIn", "op": "eq", "value": true}}},
             "steps": [{"id": "mail", "send": {"channel": "email", "template": "dated"}}]}
            """
        let events = [
            Self.event("u1", "Cart Updated", ["cart_id": "c1", "total": 10], after: 0, id: "m1"),
            Self.event("u1", "Cart Updated", ["cart_id": "c1", "total": 25], after: 600, id: "m2"),
            Self.event("u1", "Cart Updated", [:], after: 700, id: "m3"),
            Self.event("u1", "Order Completed", ["cart_id": "c1", "total": 25], after: 7200, id: "m4"),
            Self.event("u1", "Go", after: 10, id: "g1"),
            Self.event("u1", "Go", after: 20, id: "g2"),
            Self.event("u1", "Browse", ["vip": false], after: 30, id: "b1"),
        ]
        let vip = """
            {"id": "vip", "trigger": {"behaviour": {"event": "Browse", "where": {"path": "properties.vip", "op": "eq", "value": true}}},
             "steps": [{"id": "mail", "send": {"channel": "email", "template": "vip"}}]}
            """
        let simulator = try Self.run([Self.cart(policy: #""sendLate""#), split, dated, vip], events, horizonDays: 40)
        let entries = Self.decisions(simulator.records, .entered)
        #expect(entries.first { $0.journey == "cart" }?.details["key"] == "c1")
        let promo = try #require(entries.first { $0.journey == "promo" })
        let group = try #require(Self.decisions(simulator.records, .split).first)
        #expect(promo.details["group"] == group.details["group"] && promo.details["instanceId"] == group.details["instanceId"])
        #expect(group.details["assignment"] == "perUser")
        let refused = Dictionary(grouping: Self.decisions(simulator.records, .notEntered)) { $0.details["because"]?.stringValue ?? "" }
        #expect(refused["concurrencyKey"]?.map(\.journey) == ["cart"])
        #expect(refused["reentry"]?.map(\.journey) == ["promo"])
        #expect(refused["conditions"]?.map(\.journey).sorted() == ["dated", "vip"], "the last-day-of-month trigger fired, the profile did not opt in; Browse was not VIP")
        #expect(refused["conditions"]?.first { $0.journey == "vip" }?.details["reason"]?.stringValue?.contains("'Browse' b1") == true)
        let reset = try #require(Self.decisions(simulator.records, .reset).first)
        #expect(reset.details["step"] == "wait-30m" && reset.details["resets"] == .number(1))
        #expect(reset.details["until"]?.stringValue == ISO8601.format(Self.start.addingTimeInterval(600 + 1800)))
        let goal = try #require(Self.decisions(simulator.records, .goal).first)
        #expect(goal.details["revenue"] == .number(25) && goal.details["attributedStep"] == "email")
        #expect(goal.details["idempotencyKey"]?.stringValue?.hasPrefix(entries.first { $0.journey == "cart" }?.details["instanceId"]?.stringValue ?? "?") == true)
        for record in simulator.records {
            let object = try #require(try JSONValue.parse(record.jsonLine).objectValue)
            #expect(object["record"]?.stringValue == record.kind)
            #expect(!record.humanLine.isEmpty)
        }
    }

    @Test func renderShowsTheMessageAndTheLatestContextItCameFrom() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sim-templates-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (path, text) in [
            "cart-reminder/subject.mustache": "Still thinking, {{profile.firstName}}?",
            "cart-reminder/text.mustache": "Your cart: {{#latest.properties.items}}{{name}} {{/latest.properties.items}}total {{latest.properties.total}} {{unsubscribeUrl}}",
        ] {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let events = [
            Event(type: .identify, messageId: "i1", userId: "u1", traits: ["firstName": "Ada"], timestamp: Self.start),
            Self.event("u1", "Cart Updated", ["cart_id": "c1", "total": 10, "items": [["name": "Mug"]]], after: 1, id: "m1"),
            Self.event("u1", "Cart Updated", ["cart_id": "c1", "total": 35, "items": [["name": "Mug"], ["name": "Kettle"]]], after: 60, id: "m2"),
        ]
        let simulator = try Self.run([Self.cart(policy: #""sendLate""#)], events, templates: try TemplateLibrary(directory: directory))
        let rendered = try #require(Self.decisions(simulator.records, .rendered).first)
        #expect(rendered.details["message"]?["subject"] == "Still thinking, Ada?")
        #expect(rendered.details["message"]?["text"]?.stringValue?.hasPrefix("Your cart: Mug Kettle total 35 https://") == true, "\(rendered.details)")
        #expect(rendered.details["context"]?.value(atPath: "latest.properties.total") == .number(35))
        #expect(rendered.details["context"]?.value(atPath: "event.properties.total") == .number(10), "the trigger event stays the first one")
        #expect(rendered.details["error"] == nil)
        // A missing template is named, not fatal.
        let missing = try Self.run([Self.cart(policy: #""sendLate""#).replacingOccurrences(of: "cart-reminder", with: "no-such")], events, templates: try TemplateLibrary(directory: directory))
        #expect(Self.decisions(missing.records, .rendered).first?.details["error"]?.stringValue?.contains("no-such") == true)
    }
}
