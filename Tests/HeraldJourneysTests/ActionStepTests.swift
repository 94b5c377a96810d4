import Foundation
import HeraldCore
import HeraldTemplates
import Testing
@testable import HeraldJourneys

/// The action steps: updateProfile, callWebhook, startJourney and updateLists, and the inList condition.
@Suite struct ActionStepTests {
    /// Whole seconds of the clock, so events and records compare exactly.
    static let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))

    static func at(_ seconds: TimeInterval) -> String { ISO8601.format(start.addingTimeInterval(seconds)) }

    static func journey(_ steps: String) -> String { journey("acts", steps) }

    static func journey(_ id: String, trigger: String = "Go", entry: String = #""reentry": "always", "maxLiveInstancesPerUser": 50"#, _ steps: String) -> String {
        """
        {"id": "\(id)", "trigger": {"behaviour": {"event": "\(trigger)"}}, "entry": {\(entry)}, "steps": [\(steps)]}
        """
    }

    static func evaluate(_ catalog: JourneyCatalog, _ event: Event, profile: [String: JSONValue] = [:], lists: Set<String> = []) -> JourneyEvaluation {
        JourneyEngine.evaluate(UserJourneyState(userId: event.userKey), input: .event(event, profile: profile), now: event.timestamp, catalog: catalog, lists: lists)
    }

    static func profileUpdates(_ effects: [JourneyEffect]) -> [ProfileUpdate] {
        effects.compactMap { if case .updateProfile(let update) = $0 { return update } else { return nil } }
    }

    static func listUpdates(_ effects: [JourneyEffect]) -> [ListUpdate] {
        effects.compactMap { if case .updateLists(let update) = $0 { return update } else { return nil } }
    }

    // MARK: updateProfile

    @Test func updateProfileRendersValuesKeepsTypesAndLaterStepsOfTheRunSeeThem() throws {
        let catalog = try Fixture.catalog(Self.journey("""
            {"id": "mark", "updateProfile": {"set": {"plan": "trial", "lastCart": "{{event.properties.total}}",
                                                     "greeting": "Hi {{profile.firstName}}, plan {{event.properties.plan}}"},
                                             "unset": ["churned"], "increment": {"reminders_sent": 1}}},
            {"id": "check", "branch": {"cases": [{"when": {"path": "profile.plan", "op": "eq", "value": "trial"}, "next": "trial-mail"}], "default": "other"}},
            {"id": "other", "exit": {"reason": "not seen"}},
            {"id": "trial-mail", "send": {"channel": "email", "template": "welcome"}}
            """))
        let event = Fixture.track("u1", "Go", ["total": 89.5, "plan": "trial"], at: Self.at(0))
        let result = Self.evaluate(catalog, event, profile: ["firstName": "Ada", "churned": true, "reminders_sent": 2])
        let update = try #require(Self.profileUpdates(result.effects).first)
        #expect(update.set["plan"] == "trial")
        #expect(update.set["lastCart"] == .number(89.5), "a whole-tag value keeps its JSON type")
        #expect(update.set["greeting"] == "Hi Ada, plan trial")
        #expect(update.unset == ["churned"] && update.increment == ["reminders_sent": 1])
        #expect(Fixture.sends(result.effects).map(\.step) == ["trial-mail"], "the branch saw the new trait in the same run")
        // The send's context holds the profile as the run changed it.
        let profile = try #require(Fixture.sends(result.effects).first?.context["profile"]?.objectValue)
        #expect(profile["reminders_sent"] == .number(3) && profile["churned"] == nil && profile["plan"] == "trial")
        let trail = Fixture.trails(result.effects).first { $0.kind.code == "profileUpdated" }
        #expect(trail?.kind == .profileUpdated(summary: "set greeting, lastCart, plan; unset churned; increment reminders_sent +1"))
        #expect(Fixture.stats(result.effects, .actions) == 1)
    }

    @Test func aLaterInputSeesTheProfileTheStepWrote() throws {
        let catalog = try Fixture.catalog(
            Self.journey("""
                {"id": "count", "updateProfile": {"increment": {"visits": 1}}}
                """),
            Self.journey("loyal", trigger: "Check", """
                {"id": "gate", "branch": {"cases": [{"when": {"path": "profile.visits", "op": "gte", "value": 2}, "next": "mail"}], "default": "stop"}},
                {"id": "stop", "exit": {}},
                {"id": "mail", "send": {"channel": "email", "template": "loyal"}}
                """))
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Go", at: Self.at(0)),
            Fixture.track("u1", "Check", at: Self.at(10)),
            Fixture.track("u1", "Go", at: Self.at(20)),
            Fixture.track("u1", "Check", at: Self.at(30)),
        ], horizon: 0)
        #expect(simulator.profiles["u1"]?["visits"] == .number(2))
        #expect(Fixture.sends(simulator.effects).map(\.requestedAt) == [Self.start.addingTimeInterval(30)], "only the check after the second visit")
    }

    @Test func profileUpdateAppliesSetsThenUnsetsThenIncrementsNumericStrings() {
        let update = ProfileUpdate(set: ["a": 1], unset: ["b"], increment: ["n": 2.5, "s": 1, "fresh": -1])
        let profile = update.applied(to: ["b": true, "n": 1, "s": "41"])
        #expect(profile == ["a": 1, "n": 3.5, "s": 42, "fresh": -1])
        #expect(update.summary == "set a; unset b; increment fresh -1, n +2.5, s +1")
    }

    // MARK: updateLists and inList

    @Test func updateListsCarriesOnlyRealChangesAndInListSeesThemInTheSameRun() throws {
        let catalog = try Fixture.catalog(Self.journey("""
            {"id": "join", "updateLists": {"add": ["vip-early-access", "newsletter"], "remove": ["waitlist", "never-joined"]}},
            {"id": "vip?", "branch": {"cases": [{"when": {"all": [{"inList": "vip-early-access"}, {"not": {"inList": "waitlist"}}]}, "next": "vip-mail"}], "default": "end"}},
            {"id": "end", "exit": {}},
            {"id": "vip-mail", "send": {"channel": "email", "template": "vip"}}
            """))
        let result = Self.evaluate(catalog, Fixture.track("u1", "Go", at: Self.at(0)), lists: ["newsletter", "waitlist"])
        #expect(Self.listUpdates(result.effects) == [ListUpdate(add: ["vip-early-access"], remove: ["waitlist"])])
        #expect(Fixture.sends(result.effects).map(\.step) == ["vip-mail"])
        #expect(Fixture.trails(result.effects).contains { $0.kind == .listsUpdated(added: ["vip-early-access"], removed: ["waitlist"]) })
        // Already as asked: a trail line, no effect.
        let again = Self.evaluate(catalog, Fixture.track("u1", "Go", at: Self.at(1)), lists: ["vip-early-access", "newsletter"])
        #expect(Self.listUpdates(again.effects).isEmpty)
        #expect(Fixture.trails(again.effects).contains { $0.kind == .listsUpdated(added: [], removed: []) })
    }

    @Test func aTriggerFilterReadsListsAndLaterInputsSeeTheSimulatorsMemberships() throws {
        let catalog = try Fixture.catalog(
            Self.journey("join", trigger: "Joined", """
                {"id": "add", "updateLists": {"add": ["beta"]}}
                """),
            """
            {"id": "beta-news", "trigger": {"behaviour": {"event": "Release", "where": {"inList": "beta"}}}, "entry": {"reentry": "always"},
             "steps": [{"id": "mail", "send": {"channel": "email", "template": "beta"}}]}
            """)
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Release", at: Self.at(0)),
            Fixture.track("u1", "Joined", at: Self.at(10)),
            Fixture.track("u1", "Release", at: Self.at(20)),
            Fixture.track("u2", "Release", at: Self.at(30)),
        ], horizon: 0)
        #expect(simulator.lists["u1"] == ["beta"])
        let sends = Fixture.sends(simulator.effects)
        #expect(sends.map(\.userId) == ["u1"] && sends.first?.requestedAt == Self.start.addingTimeInterval(20), "only after joining")
    }

    // MARK: callWebhook

    static let call = """
        {"id": "crm", "callWebhook": {"url": "https://crm.example/users/{{userId}}", "method": "put",
                                      "headers": {"X-Plan": "{{profile.plan}}"},
                                      "body": {"total": "{{event.properties.total}}", "note": "cart {{event.properties.cart_id}}", "fixed": true}}}
        """

    @Test func callWebhookIsAWebhookSendRequestWithItsRequestInlineAndItsOwnKeyPerPass() throws {
        let catalog = try Fixture.catalog(Self.journey(
            """
            \(Self.call),
            {"id": "pause", "wait": {"duration": "1h"}},
            {"id": "again", "branch": {"cases": [{"when": {"path": "vars.loop", "op": "exists"}, "next": "crm"}]}}
            """).replacingOccurrences(of: #""entry": {"#, with: #""goal": {"event": "Bought", "within": "1d"}, "entry": {"vars": {"loop": "properties.loop"}, "#))
        let simulator = Fixture.simulate(catalog, [
            Fixture.track("u1", "Go", ["total": 12.5, "cart_id": "c-9", "loop": true], at: Self.at(0)),
            Fixture.track("u1", "Bought", at: Self.at(90 * 60)),
        ], horizon: 3 * 3600)
        let calls = Fixture.sends(simulator.effects)
        #expect(calls.count >= 2)
        let first = try #require(calls.first)
        #expect(first.channel == .webhook && first.template == CallWebhookStep.templateName && first.category == .transactional)
        #expect(first.context["call"]?["method"] == "PUT" && first.context["call"]?["url"] == "https://crm.example/users/{{userId}}")
        #expect(Set(calls.map(\.idempotencyKey)).count == calls.count, "each pass through the step has its own key")
        // A call is not a message: the conversion is attributed to no message.
        let goal = simulator.records.compactMap { record -> SimulationDecision? in
            if case .decision(let decision) = record, decision.kind == .goal { return decision }
            return nil
        }.first
        #expect(goal?.details["attributedStep"] == .null)
        // No send records; webhookCall records instead.
        #expect(!simulator.records.contains { $0.kind == "send" })
        #expect(simulator.records.filter { $0.kind == "webhookCall" }.count == calls.count)
    }

    @Test func theSenderRendersTheCallsURLHeadersAndTypedBodyFromTheRequestAndTheCurrentProfile() throws {
        let catalog = try Fixture.catalog(Self.journey(Self.call))
        let result = Self.evaluate(catalog, Fixture.track("u1", "Go", ["total": 12.5, "cart_id": "c-9"], at: Self.at(0)), profile: ["plan": "old"])
        let request = try #require(Fixture.sends(result.effects).first)
        let call = try WebhookCallRequest(request: request, profile: ["plan": "pro"])
        #expect(call.method == "PUT" && call.url == "https://crm.example/users/u1")
        #expect(call.headers.map { "\($0.0)=\($0.1)" } == ["X-Plan=pro"], "the sender's profile is the newer one")
        #expect(call.body == ["total": 12.5, "note": "cart c-9", "fixed": true])
        var broken = request
        broken.context["call"] = ["url": "{{profile.missing}}/x"]
        #expect(throws: WebhookCallError.badURL("/x")) { try WebhookCallRequest(request: broken, profile: [:]) }
    }

    // MARK: startJourney

    @Test func startJourneyEntersTheTargetNowUnderItsEntryRulesAndTheTrailSaysWhoStartedIt() throws {
        let catalog = try Fixture.catalog(
            Self.journey("source", """
                {"id": "hand-off", "startJourney": {"journey": "onboarding"}},
                {"id": "after", "send": {"channel": "email", "template": "source-after"}}
                """),
            Self.journey("onboarding", trigger: "Never", entry: #""reentry": "never""#, """
                {"id": "hello", "send": {"channel": "email", "template": "onboarding-hello"}}
                """))
        let result = Self.evaluate(catalog, Fixture.track("u1", "Go", ["plan": "pro"], at: Self.at(0)))
        #expect(Fixture.sends(result.effects).map(\.template) == ["onboarding-hello", "source-after"], "the target ran inside the step")
        let onboarding = try #require(Fixture.sends(result.effects).first)
        #expect(onboarding.context["event"]?["properties"]?["plan"] == "pro", "the target's trigger is the source's")
        let trails = Fixture.trails(result.effects)
        let codes = trails.map { "\($0.journey):\($0.kind.code)" }
        let started = try #require(codes.firstIndex(of: "source:journeyStarted"))
        #expect(Array(codes[started...].prefix(3)) == ["source:journeyStarted", "onboarding:entered", "onboarding:startedBy"])
        let by = try #require(trails.first { $0.kind.code == "startedBy" })
        let sourceInstance = try #require(trails.first { $0.journey == "source" }?.instanceId)
        #expect(by.kind == .startedBy(journey: "source", instanceId: sourceInstance, step: "hand-off"))
        // Re-entry never: the next start is refused by the target's own rule.
        let second = JourneyEngine.evaluate(result.state, input: .event(Fixture.track("u1", "Go", at: Self.at(5)), profile: [:]), now: Self.start.addingTimeInterval(5), catalog: catalog)
        #expect(Fixture.sends(second.effects).map(\.template) == ["source-after"])
        #expect(Fixture.trails(second.effects).contains { $0.journey == "onboarding" && $0.kind.code == "notEntered" })
    }

    @Test func journeysStartingEachOtherStopAtTheCycleAndAMissingTargetIsRecorded() throws {
        let catalog = try Fixture.catalog(
            Self.journey("ping", """
                {"id": "to-pong", "startJourney": {"journey": "pong"}},
                {"id": "to-ghost", "startJourney": {"journey": "ghost"}}
                """),
            Self.journey("pong", trigger: "Never", """
                {"id": "to-ping", "startJourney": {"journey": "ping"}}
                """))
        let result = Self.evaluate(catalog, Fixture.track("u1", "Go", at: Self.at(0)))
        let refused = Fixture.trails(result.effects).compactMap { entry -> String? in
            if case .notEntered(let reason) = entry.kind { return "\(entry.journey): \(reason)" }
            return nil
        }
        #expect(refused == [
            "ping: started by pong/to-ping: a cycle (ping → pong → ping) is not started again",
            "ghost: started by ping/to-ghost: no journey 'ghost' is published",
        ])
        #expect(result.state.instances.isEmpty, "both ran to completion")
        let simulator = Fixture.simulate(catalog, [Fixture.track("u1", "Go", at: Self.at(0))], horizon: 0)
        let entered = simulator.records.compactMap { record -> SimulationDecision? in
            if case .decision(let decision) = record, decision.kind == .entered, decision.journey == "pong" { return decision }
            return nil
        }.first
        #expect(entered?.details["startedBy"]?["step"] == "to-pong")
        #expect(simulator.records.filter { $0.kind == "journeyStarted" }.count == 3)
    }

    // MARK: Validation, schema, trail, simulate records

    @Test func theValidatorExplainsEveryActionProblemWithItsPath() {
        let json = """
            {"id": "bad", "trigger": {"behaviour": {"event": "Go"}}, "steps": [
              {"id": "a", "updateProfile": {"set": {"x": "{{#open}}"}, "unset": ["x"], "increment": {"n": 0}}},
              {"id": "b", "updateProfile": {}},
              {"id": "c", "callWebhook": {"url": "ftp://x", "method": "GET", "headers": {"webhook-id": "1", "bad name": "v"}, "body": {"k": "{{/x}}"}}},
              {"id": "d", "startJourney": {"journey": "bad"}},
              {"id": "e", "updateLists": {"add": ["ok", "no spaces"], "remove": ["ok"]}},
              {"id": "f", "updateLists": {"add": ["x"], "extra": 1}},
              {"id": "g", "branch": {"cases": [{"when": {"inList": ""}, "next": "a"}]}}
            ]}
            """
        let issues = JourneyValidator.validate(data: Data(json.utf8), file: "bad.json")
        let paths = Set(issues.map(\.path))
        for expected in [
            "$.steps[0].updateProfile.set.x", "$.steps[0].updateProfile.unset", "$.steps[0].updateProfile.increment.n", "$.steps[1].updateProfile",
            "$.steps[2].callWebhook.url", "$.steps[2].callWebhook.method", "$.steps[2].callWebhook.headers.webhook-id",
            "$.steps[2].callWebhook.headers.bad name", "$.steps[2].callWebhook.body", "$.steps[3].startJourney.journey",
            "$.steps[4].updateLists.add[1]", "$.steps[4].updateLists", "$.steps[5].updateLists.extra", "$.steps[6].branch.cases[0].when.inList",
        ] {
            #expect(paths.contains(expected), "\(expected) missing from \(issues.map(\.description).joined(separator: "\n"))")
        }
        #expect(issues.first { $0.path == "$.steps[0].updateProfile.unset" }?.message == "trait 'x' is also in set; name each trait once")
    }

    @Test func theSchemaNamesTheActionMembersTheValidatorAccepts() throws {
        let schema = try SchemaTests.schema()
        for kind in ["updateProfile", "callWebhook", "startJourney", "updateLists"] {
            let members = schema.value(atPath: "$defs.step.properties.\(kind).properties")?.objectValue?.keys.sorted()
            #expect(members == JourneyValidator.nestedMembers[kind]?.sorted(), "\(kind)")
        }
        let methods = schema.value(atPath: "$defs.step.properties.callWebhook.properties.method.enum")?.arrayValue?.compactMap(\.stringValue)
        #expect(methods == CallWebhookStep.methods)
        let forms = schema.value(atPath: "$defs.condition.oneOf")?.arrayValue?.compactMap { $0["required"]?.arrayValue?.first?.stringValue }
        #expect(forms?.contains("inList") == true)
    }

    @Test func theDirectoryWarnsAboutAMissingTargetAndACycle() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("starts-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in [
            ("a.json", Self.journey("a", #"{"id": "s", "startJourney": {"journey": "b"}}"#)),
            ("b.json", Self.journey("b", #"{"id": "s", "startJourney": {"journey": "a"}}, {"id": "t", "startJourney": {"journey": "nowhere"}}"#)),
        ] {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        #expect(JourneyValidator.validate(directory: directory).isEmpty)
        let warnings = JourneyValidator.warnings(directory: directory, now: Date()).map(\.message)
        #expect(warnings.contains { $0.contains("no journey 'nowhere'") })
        #expect(warnings.contains { $0.contains("cycle (a → b → a)") })
    }

    @Test func theNewTrailKindsRoundTripTheCompactForm() {
        let kinds: [TrailKind] = [
            .profileUpdated(summary: "set plan; increment n +1"), .webhookRequested(method: "PUT", url: "https://x/{{userId}}?a=b|c", idempotencyKey: "acts-1/crm/0"),
            .journeyStarted(target: "onboarding"), .startedBy(journey: "acts", instanceId: "acts-1", step: "hand-off"),
            .listsUpdated(added: ["a", "b"], removed: ["c"]), .listsUpdated(added: [], removed: []),
        ]
        let records = kinds.map { TrailRecord(TrailEntry(userId: "u1", at: Self.start, journey: "acts", version: 1, instanceId: "acts-1", step: "s", kind: $0, message: "")) }
        let decoded = TrailRecord.decodeEntry(TrailRecord.encodeEntry(records, atMilliseconds: 1))?.records
        #expect(decoded == records)
        #expect(decoded?.map(\.sentence) == [
            "Profile updated: set plan; increment n +1", "Requested webhook call PUT https://x/{{userId}}?a=b|c (key acts-1/crm/0)",
            "Started journey 'onboarding'", "Started by journey 'acts' (instance acts-1, step 'hand-off')", "Lists: joined a,b; left c",
            "Lists: no change (already as asked)",
        ])
        // `heraldctl trail --json` names each detail.
        #expect(decoded?[1].json(at: nil)["url"]?.stringValue == "https://x/{{userId}}?a=b|c")
        #expect(decoded?[3].json(at: nil)["startedByStep"] == "hand-off")
        #expect(decoded?[4].json(at: nil)["removed"] == "c")
    }

    @Test func simulateJSONRecordsNameEachAction() throws {
        let catalog = try Fixture.catalog(
            Self.journey("""
                {"id": "mark", "updateProfile": {"set": {"plan": "{{event.properties.plan}}"}, "increment": {"n": 1}}},
                {"id": "join", "updateLists": {"add": ["vip"]}},
                \(Self.call),
                {"id": "hand-off", "startJourney": {"journey": "next"}}
                """),
            Self.journey("next", trigger: "Never", #"{"id": "end", "exit": {}}"#))
        let simulator = Fixture.simulate(catalog, [Fixture.track("u1", "Go", ["plan": "pro"], at: Self.at(0))], horizon: 0)
        let lines = try simulator.records.map { try JSONValue.parse($0.jsonLine) }
        let byKind = Dictionary(grouping: lines) { $0["record"]?.stringValue ?? "" }
        #expect(byKind["profileUpdated"]?.first?["set"] == ["plan": "pro"] && byKind["profileUpdated"]?.first?["step"] == "mark")
        #expect(byKind["listsUpdated"]?.first?["added"] == ["vip"])
        #expect(byKind["webhookCall"]?.first?["method"] == "PUT" && byKind["webhookCall"]?.first?["url"] == "https://crm.example/users/{{userId}}")
        #expect(byKind["journeyStarted"]?.first?["target"] == "next")
        #expect(byKind["entered"]?.first { $0["journey"] == "next" }?["startedBy"]?["journey"] == "acts")
        for record in simulator.records { #expect(!record.humanLine.isEmpty) }
    }

    @Test func aJSONTemplateKeepsTypesForWholeTagsAndRendersTextOtherwise() throws {
        let template = try JSONTemplate(["n": "{{a.n}}", "o": "{{{a}}}", "s": "x{{a.n}}y", "missing": "{{nope}}", "list": ["{{a.n}}", 2]])
        let rendered = try template.render(["a": ["n": 3]])
        #expect(rendered == ["n": 3, "o": ["n": 3], "s": "x3y", "missing": .null, "list": [3, 2]])
        #expect(throws: TemplateError.self) { try JSONTemplate(["x": "{{#never"]) }
    }

    @Test func theWorkedExampleInTheDocsIsWhatTheSimulationPrints() throws {
        let docs = try String(contentsOf: Fixture.root.appendingPathComponent("docs/journeys.md"), encoding: .utf8)
        let command = "heraldctl simulate --journeys examples/actions/journeys --events examples/actions/events.jsonl`):\n\n```\n"
        let start = try #require(docs.range(of: command))
        let end = try #require(docs[start.upperBound...].range(of: "\n```"))
        let documented = docs[start.upperBound..<end.lowerBound].split(separator: "\n").map(String.init)
        let records = try JourneySimulator.run(
            journeysDirectory: Fixture.root.appendingPathComponent("examples/actions/journeys"),
            eventsFile: Fixture.root.appendingPathComponent("examples/actions/events.jsonl"))
        #expect(records.map(\.humanLine) == documented)
        let profile = try #require(records.first { $0.kind == "profileUpdated" })
        #expect(docs.contains(profile.jsonLine), "the profileUpdated JSON line in the docs")
        let issues = JourneyValidator.validate(
            directory: Fixture.root.appendingPathComponent("examples/actions/journeys"),
            templates: try TemplateInventory(directory: Fixture.root.appendingPathComponent("config/templates")))
        #expect(issues.isEmpty, "\(issues)")
    }
}
