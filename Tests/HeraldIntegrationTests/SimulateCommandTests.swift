import Foundation
import HeraldCore
import Testing

/// `heraldctl simulate` as a marketer runs it before publishing: every decision in text and
/// `--json`, a fleet that was slow (`--timer-lag`) or down (`--down`) so the past-due policies act,
/// and `--render` with the context each message came from. Times are derived from the clock.
@Suite struct SimulateCommandTests {
    /// A journeys directory, a templates directory beside it and an events file, all temporary.
    /// (The harness sets HERALD_CONFIG_DIR, whose templates come first, so the tests name theirs.)
    static func workspace(events: [String]) throws -> (root: URL, journeys: URL, events: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-\(UUID().uuidString.prefix(8))")
        let files = [
            "journeys/cart.json": """
                {"id": "cart", "trigger": {"behaviour": {"event": "Cart Updated"}},
                 "entry": {"concurrencyKey": "properties.cart_id"},
                 "goal": {"event": "Order Completed", "within": "7d", "revenue": "properties.total", "match": ["properties.cart_id"]},
                 "defaults": {"pastDueAfter": "10m"},
                 "steps": [
                   {"id": "wait-30m", "wait": {"duration": "30m"}, "pastDue": {"skipIfLaterThan": "2h"}},
                   {"id": "email", "send": {"channel": "email", "template": "cart-reminder"}},
                   {"id": "wait-1d", "wait": {"duration": "1d"}}
                 ]}
                """,
            "templates/cart-reminder/subject.mustache": "Your cart, {{profile.firstName}}",
            "templates/cart-reminder/text.mustache": "Total {{latest.properties.total}}",
            "events.jsonl": events.joined(separator: "\n") + "\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return (root, root.appendingPathComponent("journeys"), root.appendingPathComponent("events.jsonl"))
    }

    static func lines(_ output: String) -> [[String: JSONValue]] {
        output.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)).objectValue }
    }

    @Test func aLaggingOrDownFleetShowsEachPastDueDecisionAndRenderShowsTheContext() throws {
        let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let at = { (seconds: TimeInterval) in ISO8601.format(start.addingTimeInterval(seconds)) }
        let (root, journeys, events) = try Self.workspace(events: [
            #"{"type":"identify","messageId":"i1","userId":"ann","traits":{"firstName":"Ann"},"timestamp":"\#(at(0))"}"#,
            #"{"type":"track","messageId":"m1","userId":"ann","event":"Cart Updated","properties":{"cart_id":"c1","total":20},"timestamp":"\#(at(1))"}"#,
            #"{"type":"track","messageId":"m2","userId":"bo","event":"Cart Updated","properties":{"total":5},"timestamp":"\#(at(2))"}"#,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let fleet = try FleetHarness(journeys: [])

        // Every timer 3 hours late: the 30-minute wait is past its 2-hour limit, so the email is skipped.
        let lagging = try CtlRunner.run(fleet, ["simulate", "--journeys", journeys.path, "--events", events.path, "--json", "--timer-lag", "3h"])
        #expect(lagging.code == 0, "\(lagging.output)")
        let records = Self.lines(lagging.output)
        #expect(records.count == lagging.output.split(separator: "\n").count, "one JSON object per line: \(lagging.output)")
        let pastDue = try #require(records.first { $0["record"] == "pastDue" }, "\(lagging.output)")
        #expect(pastDue["step"] == "wait-30m" && pastDue["decision"] == "skipped 1 send" && pastDue["dueAt"]?.stringValue == at(1 + 1800))
        #expect(pastDue["latenessMs"] == .number(3 * 3_600_000))
        #expect(records.contains { $0["record"] == "sendSkipped" && $0["template"] == "cart-reminder" })
        #expect(!records.contains { $0["record"] == "send" })
        let entered = try #require(records.first { $0["record"] == "entered" })
        #expect(entered["key"] == "c1" && entered["instanceId"]?.stringValue?.hasPrefix("cart-") == true)
        #expect(records.contains { $0["record"] == "notEntered" && $0["userId"] == "bo" && $0["because"] == "concurrencyKey" })

        // Down from a minute in until an hour in: the timer due at 30 minutes fires at the hour, within the limit.
        let down = "\(at(60))..\(at(3600))"
        let text = try CtlRunner.run(fleet, ["simulate", "--journeys", journeys.path, "--events", events.path, "--down", down, "--render", "--templates", root.appendingPathComponent("templates").path])
        #expect(text.code == 0, "\(text.output)")
        #expect(text.output.contains("\(at(3600))  PAST-DUE  ann  cart  wait-30m due \(at(1801))"), "\(text.output)")
        #expect(text.output.contains("continued late, 1 send requested"))
        #expect(text.output.contains("\(at(3600))  SEND  ann  cart/email  email 'cart-reminder'"))
        #expect(text.output.contains("RENDERED  ann  cart  email email 'cart-reminder': Your cart, Ann"), "\(text.output)")
        #expect(text.output.contains("1 planned sends, 1 exits, "), "\(text.output)")

        let rendered = Self.lines(try CtlRunner.run(fleet, ["simulate", "--journeys", journeys.path, "--events", events.path, "--json", "--render", "--templates", root.appendingPathComponent("templates").path]).output)
            .first { $0["record"] == "rendered" }
        #expect(rendered?["message"]?["text"] == "Total 20")
        #expect(rendered?["context"]?.value(atPath: "latest.properties.cart_id") == "c1")

        let bad = try CtlRunner.run(fleet, ["simulate", "--journeys", journeys.path, "--events", events.path, "--timer-lag", "soon"])
        #expect(bad.code == 2 && bad.output.contains("--timer-lag needs a duration such as 90m, 6h or 2d, not 'soon'"), "\(bad.output)")
        let backwards = try CtlRunner.run(fleet, ["simulate", "--journeys", journeys.path, "--events", events.path, "--down", "\(at(3600))..\(at(60))"])
        #expect(backwards.code == 2 && backwards.output.contains("--down needs FROM..TO"), "\(backwards.output)")
    }
}
