import Foundation
import HeraldCore
import HeraldTemplates
import Testing
@testable import HeraldJourneys

/// `journeys validate` reports every problem of a file at once, places JSON syntax errors by line
/// and column, and catches send steps whose template would fail at send time.
@Suite struct ValidatorCompletenessTests {
    @Test func everyTypeAndEnumErrorInAFileIsReportedNotJustTheFirst() {
        let json = """
            {"id": "j", "version": "two", "naem": "typo",
             "trigger": {"behaviour": {"event": "Go"}},
             "entry": {"reentry": "sometimes"},
             "defaults": {"respectQuietHours": "yes"},
             "steps": [
               {"id": "a", "send": {"channel": "fax", "template": "t"}},
               {"id": "b", "wait": {"duration": "3 days"}},
               {"id": "c", "send": {"channel": "email", "template": 7, "category": "spam"}},
               {"id": "d", "split": {"groups": [{"name": "x", "percent": "half"}, {"name": "y", "percent": 50}]}},
               {"id": "e", "exit": {}, "next": "nowhere"}
             ]}
            """
        let issues = JourneyValidator.validate(data: Data(json.utf8), file: "broken.json")
        let paths = issues.map(\.path)
        for expected in [
            "$.naem", "$.version", "$.entry.reentry", "$.defaults.respectQuietHours", "$.steps[0].send.channel", "$.steps[2].send.category",
            "$.steps[1].wait.duration", "$.steps[2].send.template", "$.steps[3].split.groups[0].percent", "$.steps[4].next",
        ] {
            #expect(paths.contains(expected), "\(expected) is missing from \(issues.map(\.description).joined(separator: "\n"))")
        }
        #expect(issues.first { $0.path == "$.steps[2].send.category" }?.message.contains("unknown category 'spam'") == true)
        #expect(issues.first { $0.path == "$.steps[2].send.template" }?.message == "expected a string")
        #expect(Set(paths).count == paths.count, "each problem once: \(paths)")
        // The parts that decoded are still checked, the parts that did not leave no false alarms.
        #expect(!issues.contains { $0.message.contains("unreachable") }, "\(issues)")
    }

    @Test func aJSONSyntaxErrorNamesItsLineAndColumn() throws {
        let json = "{\n  \"id\": \"j\",\n  \"trigger\": {\"behaviour\": {\"event\": \"Go\"}}\n  \"steps\": []\n}\n"
        let issues = JourneyValidator.validate(data: Data(json.utf8), file: "syntax.json")
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.line == 4 && issue.column == 3, "\(issue)")
        #expect(issue.description.hasPrefix("syntax.json:4:3: not valid JSON at line 4, column 3: expected ',' or '}'"), "\(issue)")
        // Columns count characters, not bytes.
        let wide = "{\"name\": \"Grüße\" \"id\": 1}"
        let placed = try #require(JourneyValidator.validate(data: Data(wide.utf8), file: "w.json").first)
        #expect(placed.line == 1 && placed.column == 18, "\(placed)")
    }

    /// A template directory with one problem per message, and two good ones.
    static func templates() throws -> (URL, TemplateInventory) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString.prefix(8))")
        let files = [
            "mail/subject.mustache": "Hello {{profile.firstName}}",
            "mail/text.mustache": "Hi {{profile.firstName}}, {{unsubscribeUrl}}",
            "text-only/body.mustache": "Your cart: {{event.properties.cart_id}}",
            "broken/subject.mustache": "Fine",
            "broken/text.mustache": "Fine too",
            "broken/text.ja.mustache": "line one\n{{#items}}never closed\n",
            "ja-only/subject.ja.mustache": "こんにちは",
            "ja-only/text.mustache": "Body",
            "partials/footer.mustache": "bye",
        ]
        for (path, source) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(source.utf8).write(to: url)
        }
        return (directory, try TemplateInventory(directory: directory))
    }

    @Test func everySendStepsTemplateMustExistForItsChannelAndEveryVariantParse() throws {
        let (directory, inventory) = try Self.templates()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = """
            {"id": "j", "trigger": {"behaviour": {"event": "Go"}}, "steps": [
              {"id": "ok-email", "send": {"channel": "email", "template": "mail"}},
              {"id": "ok-sms", "send": {"channel": "sms", "template": "text-only"}},
              {"id": "missing", "send": {"channel": "email", "template": "no-such"}},
              {"id": "wrong-channel", "send": {"channel": "sms", "template": "mail"}},
              {"id": "email-without-subject", "send": {"channel": "email", "template": "text-only"}},
              {"id": "bad-variant", "send": {"channel": "email", "template": "broken"}},
              {"id": "variant-only", "send": {"channel": "email", "template": "ja-only"}}
            ]}
            """
        let issues = JourneyValidator.validate(data: Data(json.utf8), file: "t.json", templates: inventory)
        let byStep = Dictionary(grouping: issues, by: \.path).mapValues { $0.map(\.message) }
        #expect(byStep["$.steps[0].send.template"] == nil && byStep["$.steps[1].send.template"] == nil, "\(issues)")
        #expect(byStep["$.steps[2].send.template"]?.first?.contains("no template 'no-such'") == true)
        #expect(byStep["$.steps[2].send.template"]?.first?.contains("known: broken, ja-only, mail, text-only") == true, "\(issues)")
        #expect(byStep["$.steps[3].send.template"] == ["template 'mail' cannot be sent by sms: no default body part in \(directory.path)/mail/"])
        #expect(byStep["$.steps[4].send.template"]?.first?.contains("cannot be sent by email: no default subject and text or html part") == true, "\(issues)")
        let variant = byStep["$.steps[5].send.template"] ?? []
        #expect(variant.count == 1 && variant.first?.contains("broken/text.ja.mustache:2: section 'items' is never closed") == true, "\(variant)")
        let jaOnly = byStep["$.steps[6].send.template"] ?? []
        #expect(jaOnly.first?.contains("no default subject part") == true && jaOnly.first?.contains("locale variants ja") == true, "\(jaOnly)")
        #expect(issues.count == 5, "\(issues.map(\.description).joined(separator: "\n"))")
        // Without templates to check against, the same file has no issue.
        #expect(JourneyValidator.validate(data: Data(json.utf8), file: "t.json").isEmpty)
    }

    @Test func templateProblemsAreReportedBesideDecodingProblems() throws {
        let (directory, inventory) = try Self.templates()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = """
            {"id": "j", "trigger": {"behaviour": {"event": "Go"}}, "steps": [
              {"id": "a", "send": {"channel": "email", "template": "no-such"}},
              {"id": "b", "wait": {"duration": "soon"}}
            ]}
            """
        let paths = JourneyValidator.validate(data: Data(json.utf8), file: "t.json", templates: inventory).map(\.path)
        #expect(paths == ["$.steps[1].wait.duration", "$.steps[0].send.template"])
    }

    @Test func theShippedJourneysAndTemplatesAgree() throws {
        let inventory = try TemplateInventory(directory: Fixture.root.appendingPathComponent("config/templates"))
        let issues = JourneyValidator.validate(directory: Fixture.root.appendingPathComponent("config/journeys"), templates: inventory)
        #expect(issues.isEmpty, "\(issues.map(\.description).joined(separator: "\n"))")
    }
}
