import Foundation
import HeraldCore
@testable import HeraldFleet
import HeraldTestSupport
import Testing

/// What `heraldctl` prints for an operator and for a script: every listing decoded, with a
/// `--json` form of one JSON object per line in which no string holds JSON; usage errors with the
/// usage line and exit 2; Redis problems in plain words with exit 1.
@Suite struct HeraldCtlOutputTests {
    /// Each line of `output` as a JSON object (a line that is not one fails the test).
    static func jsonLines(_ output: String, _ command: String) -> [[String: JSONValue]] {
        output.split(separator: "\n").compactMap { line in
            let parsed = (try? JSONValue.parse(String(line)))?.objectValue
            #expect(parsed != nil, "\(command) --json printed a line that is not a JSON object: \(line)")
            return parsed
        }
    }

    /// The paths of strings in `value` that hold a JSON object or array.
    static func jsonInsideStrings(_ value: JSONValue, at path: String = "$") -> [String] {
        switch value {
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("{") || trimmed.hasPrefix("[") else { return [] }
            return (try? JSONValue.parse(trimmed)) == nil ? [] : [path]
        case .array(let elements):
            return elements.enumerated().flatMap { jsonInsideStrings($1, at: "\(path)[\($0)]") }
        case .object(let members):
            return members.flatMap { jsonInsideStrings($1, at: "\(path).\($0)") }
        default:
            return []
        }
    }

    @Test func everyListingHasADecodedJSONForm() async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-email-sender"] { try fleet.start(name) }
        let order = TestJourneys.track("ann", "Order Completed", messageId: "o-ann", properties: #"{"order_id":"o-1","total":10}"#)
        // Valid JSON that is not a valid event (no user): rejected with its payload kept.
        let noUser = #"{"type":"track","messageId":"m-bad","event":"Order Completed","properties":{"order_id":"o-2"},"timestamp":"\#(TestTime.recent)"}"#
        try await fleet.produce(connection, [TestJourneys.identify("ann", messageId: "i-ann"), order, noUser, "not json at all"])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        #expect(try await eventually { try await fleet.rejected(connection).count == 2 })

        let rejected = try CtlRunner.run(fleet, ["rejected", "--json"])
        #expect(rejected.code == 0, "\(rejected.output)")
        let rejectedLines = Self.jsonLines(rejected.output, "rejected")
        #expect(rejectedLines.count == 2)
        #expect(rejectedLines.first?["payload"]?["messageId"]?.stringValue == "m-bad", "the payload is the JSON object it was: \(rejected.output)")
        #expect(rejectedLines.last?["payload"]?.stringValue == "not json at all", "a payload that is not JSON stays its text")
        #expect(rejectedLines.allSatisfy { $0["reason"]?.stringValue?.isEmpty == false && $0["code"] != nil })
        let rejectedText = try CtlRunner.run(fleet, ["rejected"])
        #expect(rejectedText.code == 0 && rejectedText.output.contains(#"payload: {"#) && !rejectedText.output.contains(#"\""#), "\(rejectedText.output)")

        let deliveries = try CtlRunner.run(fleet, ["deliveries", "--json"])
        let deliveryLines = Self.jsonLines(deliveries.output, "deliveries")
        #expect(deliveries.code == 0 && deliveryLines.contains { $0["status"]?.stringValue == "sent" && $0["userId"]?.stringValue == "ann" }, "\(deliveries.output)")

        let status = try CtlRunner.run(fleet, ["status", "--json"])
        let statusLines = Self.jsonLines(status.output, "status")
        #expect(status.code == 0 && statusLines.contains { $0["stream"]?.stringValue == fleet.keyspace.ingest.rawValue && $0["group"]?.stringValue != nil })
        #expect(statusLines.allSatisfy { $0["length"]?.numberValue != nil && $0["pending"]?.numberValue != nil && $0["consumers"]?.numberValue != nil }, "\(status.output)")
        let partitions = Self.jsonLines(try CtlRunner.run(fleet, ["status", "--partitions", "--json"]).output, "status --partitions")
        #expect(partitions.count > statusLines.count, "per partition there are more rows than folded")

        let list = try CtlRunner.run(fleet, ["journeys", "list", "--json"])
        #expect(list.code == 0 && Self.jsonLines(list.output, "journeys list").map { $0["id"]?.stringValue } == ["test-receipt"], "\(list.output)")
        let stats = try CtlRunner.run(fleet, ["journeys", "stats", "--json"])
        let statLines = Self.jsonLines(stats.output, "journeys stats")
        #expect(stats.code == 0 && statLines.contains { $0["journey"]?.stringValue == "test-receipt" && ($0["entered"]?.numberValue ?? 0) >= 1 }, "\(stats.output)")
        let channels = try CtlRunner.run(fleet, ["channels", "stats", "--json"])
        #expect(channels.code == 0 && Self.jsonLines(channels.output, "channels stats").first?["email"] != nil, "\(channels.output)")
        let trail = try CtlRunner.run(fleet, ["trail", "ann", "--json"])
        let trailLines = Self.jsonLines(trail.output, "trail")
        #expect(trail.code == 0 && trailLines.contains { $0["kind"]?.stringValue == "sendRequested" && $0["journey"]?.stringValue == "test-receipt" }, "\(trail.output)")
        #expect(trailLines.allSatisfy { $0["at"]?.stringValue != nil && $0["message"]?.stringValue != nil })
        let inbox = try CtlRunner.run(fleet, ["inbox", "ann", "--json"])
        #expect(inbox.code == 0 && Self.jsonLines(inbox.output, "inbox").first?["unread"]?.numberValue == 0, "\(inbox.output)")

        for (command, lines) in [("rejected", rejectedLines), ("deliveries", deliveryLines), ("status", statusLines), ("journeys stats", statLines), ("trail", trailLines)] {
            for line in lines {
                #expect(Self.jsonInsideStrings(.object(line)).isEmpty, "\(command) --json holds JSON inside a string: \(JSONValue.object(line).serialized())")
            }
        }
        _ = fleet.stopAll()
    }

    @Test func extraArgumentsAndMissingValuesAreUsageErrorsWithTheUsageLine() throws {
        let fleet = try FleetHarness(journeys: [])
        let cases: [([String], String, String)] = [
            (["status", "extra"], "status does not take the argument 'extra'", "usage: heraldctl status [--partitions] [--json]"),
            (["trail", "ann", "bob"], "trail does not take the argument 'bob'", "usage: heraldctl trail USER"),
            (["journeys", "list", "more"], "journeys does not take the argument 'more'", "usage: heraldctl journeys list"),
            (["deliveries", "--count"], "--count needs a value", "usage: heraldctl deliveries [--count N]"),
            (["deliveries", "--count", "--json"], "--count needs a value", "usage: heraldctl deliveries"),
            (["dead-letter", "--stream"], "--stream needs a value", "usage: heraldctl dead-letter replay"),
            (["dead-letter", "--all"], "dead-letter does not take --all", "usage: heraldctl dead-letter"),
            (["rejected", "--count", "many"], "--count needs a number, not 'many'", "usage: heraldctl rejected"),
            (["rejected", "extra"], "rejected does not take the argument 'extra'", "usage: heraldctl rejected [--count N] [--json]"),
            (["dead-letter", "extra"], "dead-letter does not take the argument 'extra'", "usage: heraldctl dead-letter"),
            (["deliveries", "extra"], "deliveries does not take the argument 'extra'", "usage: heraldctl deliveries"),
            (["channels", "stats", "extra"], "channels does not take the argument 'extra'", "usage: heraldctl channels stats"),
            (["journeys", "stats", "promo", "extra"], "journeys does not take the argument 'extra'", "usage: heraldctl journeys stats"),
            (["inbox", "ann", "extra"], "inbox does not take the argument 'extra'", "usage: heraldctl inbox USER"),
            (["publish", "a.jsonl", "b.jsonl"], "publish does not take the argument 'b.jsonl'", "usage: heraldctl publish FILE.jsonl"),
        ]
        for (arguments, error, usage) in cases {
            let result = try CtlRunner.run(fleet, arguments)
            #expect(result.code == 2, "\(arguments) exited \(result.code): \(result.output)")
            #expect(result.output.contains("heraldctl: " + error) && result.output.contains(usage), "\(arguments): \(result.output)")
        }
        // Variadic ids and the forms' own words are still accepted.
        let replay = try CtlRunner.run(fleet, ["dead-letter", "replay", "1-0", "2-0", "--dry-run"])
        #expect(replay.code == 0 && replay.output.contains("1-0: no such dead letter"), "\(replay.output)")
        let none = try CtlRunner.run(fleet, [])
        #expect(none.code == 2 && none.output.contains("usage: heraldctl COMMAND"), "\(none.output)")
        let help = try CtlRunner.run(fleet, ["--help"])
        #expect(help.code == 0 && help.output.contains("heraldctl COMMAND --help") && help.output.contains("Exit status: 0 done, 1 failed"), "\(help.output)")
    }

    @Test func everyUsageFormReadsAsActionWordsPlaceholdersAndOptions() {
        // A description run into its form with one space would turn its words into actions.
        let actions: Set<String> = ["replay", "stats", "validate", "publish", "list", "docs"]
        let commands = HeraldCtl.usage.split(separator: "\n").compactMap { line -> String? in
            let indent = line.prefix { $0 == " " }.count
            guard indent > 0 && indent < 20 else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(Set(commands).count >= 12, "\(commands)")
        for command in Set(commands) {
            for form in HeraldCtl.usageForms(for: command).map(HeraldCtl.UsageForm.init) {
                for word in form.positionals where !HeraldCtl.UsageForm.isPlaceholder(word) {
                    #expect(actions.contains(word), "\(command): '\(word)' reads as an action word")
                }
            }
        }
    }

    @Test func redisProblemsAreSaidInPlainWords() async throws {
        let fleet = try FleetHarness(journeys: [])
        let closed = try FreePort.find()
        let refused = try CtlRunner.run(fleet, ["status"], environment: ["REDIS_URL": "redis://127.0.0.1:\(closed)"])
        #expect(refused.code == 1, "\(refused.output)")
        #expect(refused.output.contains("cannot reach Redis at 127.0.0.1:\(closed): connection refused; is redis-server running there"), "\(refused.output)")
        #expect(!refused.output.contains("RedisClientError") && !refused.output.contains("connectionFailed"))

        // A password on the server (this fleet's own): none in REDIS_URL, then a wrong one.
        let connection = fleet.redis.connection()
        _ = try await connection.send("CONFIG", "SET", "requirepass", "s3cret-test")
        let noPassword = try CtlRunner.run(fleet, ["deliveries"])
        #expect(noPassword.code == 1 && noPassword.output.contains("requires a password and REDIS_URL gives none"), "\(noPassword.output)")
        let wrong = try CtlRunner.run(fleet, ["rejected"], environment: ["REDIS_URL": "redis://:not-it@127.0.0.1:\(fleet.redis.port)"])
        #expect(wrong.code == 1 && wrong.output.contains("rejected the user name or password in REDIS_URL"), "\(wrong.output)")
        #expect(!wrong.output.contains("not-it"), "the password is never printed")
        let right = try CtlRunner.run(fleet, ["status"], environment: ["REDIS_URL": "redis://:s3cret-test@127.0.0.1:\(fleet.redis.port)"])
        #expect(right.code == 0, "\(right.output)")
    }

    @Test func validateAndPublishReportEveryProblemIncludingTemplatesAndPublishNothing() async throws {
        let fleet = try FleetHarness(journeys: [])
        try Data("{\"id\": \"x\",\n  \"steps\": [\n}\n".utf8).write(to: fleet.journeys.appendingPathComponent("a-syntax.json"))
        try Data(#"""
            {"id": "cart-copy", "trigger": {"behaviour": {"event": "Cart Updated"}}, "steps": [
              {"id": "mail", "send": {"channel": "email", "template": "no-such-template"}},
              {"id": "pause", "wait": {"duration": "3 days"}},
              {"id": "text", "send": {"channel": "sms", "template": "cart-reminder"}},
              {"id": "ok", "send": {"channel": "sms", "template": "cart-reminder-sms"}}
            ]}
            """#.utf8).write(to: fleet.journeys.appendingPathComponent("b-cart.json"))
        let templates = Executables.packageRoot.appendingPathComponent("config/templates").path
        let validate = try CtlRunner.run(fleet, ["journeys", "validate", fleet.journeys.path])
        #expect(validate.code == 1, "\(validate.output)")
        for expected in [
            "templates: \(templates) (", "a-syntax.json:3:1: not valid JSON at line 3, column 1: unexpected character",
            "b-cart.json: $.steps[0].send.template: no template 'no-such-template'", "b-cart.json: $.steps[1].wait.duration: bad duration '3 days'",
            "b-cart.json: $.steps[2].send.template: template 'cart-reminder' cannot be sent by sms: no default body part", "4 issues",
        ] {
            #expect(validate.output.contains(expected), "missing '\(expected)' in:\n\(validate.output)")
        }
        #expect(!validate.output.contains("steps[3]"), "cart-reminder-sms has a body: \(validate.output)")

        let publish = try CtlRunner.run(fleet, ["journeys", "publish", fleet.journeys.path])
        #expect(publish.code == 1 && publish.output.contains("journeys not published; fix these first") && publish.output.contains("no-such-template"), "\(publish.output)")
        #expect(try await fleet.redis.connection().send("HLEN", fleet.keyspace.journeys).int == 0, "nothing was stored")

        let shipped = try CtlRunner.run(fleet, ["journeys", "validate", Executables.packageRoot.appendingPathComponent("config/journeys").path])
        #expect(shipped.code == 0 && shipped.output.contains("ok: no issues"), "\(shipped.output)")
        let missing = try CtlRunner.run(fleet, ["journeys", "validate", fleet.journeys.path, "--templates", "/no/such/templates"])
        #expect(missing.code == 1 && missing.output.contains("heraldctl: /no/such/templates: no such file or directory"), "\(missing.output)")
    }
}
