import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

/// What `journeys validate` says about action paths and summary conditions, and the schema's agreement.
@Suite struct RicherWaitsValidatorTests {
    static func issues(_ steps: String) -> [String: [String]] {
        let json = #"{"id": "j", "trigger": {"behaviour": {"event": "Go"}}, "steps": [\#(steps)]}"#
        return Dictionary(grouping: JourneyValidator.validate(data: Data(json.utf8), file: "j.json"), by: \.path).mapValues { $0.map(\.message) }
    }

    static let ends = #"{"id": "a", "exit": {}}, {"id": "b", "exit": {}}"#

    @Test func pathsNeedKnownTargetsAndNoneMayBeShadowed() {
        let found = Self.issues(#"""
            {"id": "w", "waitForEvent": {"timeout": "1d", "onTimeout": "gone", "paths": [
              {"event": "Rated", "where": {"path": "properties.stars", "op": "gte", "value": 4}, "next": "a"},
              {"event": "Rated", "where": {"path": "properties.stars", "op": "gte", "value": 4}, "next": "b"},
              {"event": "Cancelled", "next": "a", "name": "x"},
              {"event": "Cancelled", "where": {"path": "profile.vip", "op": "eq", "value": true}, "next": "b", "name": "x"},
              {"event": "", "next": "nowhere", "nxt": "a"}]}},
            \#(Self.ends)
            """#)
        let path = "$.steps[0].waitForEvent"
        #expect(found["\(path).onTimeout"] == ["unknown step 'gone'; no step has this id"])
        #expect(found["\(path).paths[1]"] == ["duplicate path: the same event, match and where as \(path).paths[0]"])
        #expect(found["\(path).paths[3]"] == ["never taken: \(path).paths[2] takes every 'Cancelled' first"])
        #expect(found["\(path).paths[3].name"] == ["duplicate path name 'x' (also \(path).paths[2])"])
        #expect(found["\(path).paths[4].next"] == ["unknown step 'nowhere'; no step has this id"])
        #expect(found["\(path).paths[4].event"] == ["name the awaited event"])
        #expect(found["\(path).paths[4].nxt"]?.first?.hasPrefix("unknown member 'nxt'; expected one of event, match, name, next, where") == true, "\(found)")
        // Another match makes a path for the same event a different one.
        let distinct = Self.issues(#"""
            {"id": "w", "waitForEvent": {"timeout": "1d", "match": ["properties.order_id"], "paths": [
              {"event": "Rated", "next": "a"}, {"event": "Rated", "match": [], "next": "b"}]}},
            \#(Self.ends)
            """#)
        #expect(distinct.isEmpty, "\(distinct)")
    }

    @Test func theTwoFormsDoNotMix() {
        let both = Self.issues(#"""
            {"id": "w", "waitForEvent": {"event": "Rated", "where": {"path": "properties.x", "op": "exists"}, "onEvent": "a", "timeout": "1d", "paths": [{"event": "Rated", "next": "b"}]}},
            \#(Self.ends)
            """#)
        #expect(both["$.steps[0].waitForEvent.event"] == ["set event or paths, not both; each path names its event"])
        #expect(both["$.steps[0].waitForEvent.onEvent"] == ["with paths, each path names its next step"])
        #expect(both["$.steps[0].waitForEvent.where"] == ["with paths, each path has its own where"])
        let neither = Self.issues(#"{"id": "w", "waitForEvent": {"timeout": "1d"}}"#)
        #expect(neither["$.steps[0].waitForEvent"]?.first?.hasPrefix("set event (one awaited event) or paths") == true, "\(neither)")
        let empty = Self.issues(#"{"id": "w", "waitForEvent": {"timeout": "1d", "paths": []}}"#)
        #expect(empty["$.steps[0].waitForEvent.paths"] == ["list at least one path"])
    }

    @Test func countAndLastSeenConditionsAreCheckedWhereverTheyAre() {
        let found = Self.issues(#"""
            {"id": "c", "branch": {"cases": [
              {"when": {"count": "Order Completed", "within": "200d", "op": "gte", "value": 2}, "next": "a"},
              {"when": {"count": "Order Completed", "within": "36h", "op": "gte", "value": 2}, "next": "a"},
              {"when": {"count": "", "within": "7d", "op": "contains", "value": 2}, "next": "a"},
              {"when": {"not": {"lastSeen": "Login", "op": "eq", "value": "7d"}}, "next": "a"},
              {"when": {"count": "Order Completed", "within": "180d", "op": "gte", "value": 2}, "next": "b"}]}},
            {"id": "w", "waitForEvent": {"timeout": "1d", "paths": [{"event": "Rated", "where": {"count": "Rated", "within": "1y", "op": "gt", "value": 1}, "next": "a"}]}},
            \#(Self.ends)
            """#)
        let cases = "$.steps[0].branch.cases"
        #expect(found["\(cases)[0].when.within"] == ["'200d' is longer than the event summary's horizon of 180d"])
        #expect(found["\(cases)[1].when.within"] == ["write whole days or weeks, e.g. 30d: the summary counts per UTC day"])
        #expect(found["\(cases)[2].when.count"] == ["name the counted event"])
        #expect(found["\(cases)[2].when.op"] == ["a count compares with eq, ne, gt, gte, lt or lte, not 'contains'"])
        #expect(found["\(cases)[3].when.not.op"]?.first?.hasPrefix("lastSeen compares the time since") == true, "\(found)")
        #expect(found["\(cases)[4].when.within"] == nil)
        #expect(found["$.steps[1].waitForEvent.paths[0].where.within"]?.first?.contains("bad duration '1y'") == true, "\(found)")
        // Trigger and exit filters take them too.
        let json = #"""
            {"id": "j", "trigger": {"behaviour": {"event": "Go", "where": {"count": "Go", "within": "400d", "op": "gte", "value": 1}}},
             "exit": {"on": [{"event": "Stop", "where": {"lastSeen": "Stop", "op": "in", "value": "1d"}}]},
             "steps": [{"id": "a", "exit": {}}]}
            """#
        let paths = JourneyValidator.validate(data: Data(json.utf8), file: "j.json").map(\.path)
        #expect(paths.sorted() == ["$.exit.on[0].where.op", "$.trigger.behaviour.where.within"])
    }

    @Test func malformedSummaryConditionsAreDecodingErrorsWithTheirPath() {
        let found = Self.issues(#"""
            {"id": "c", "branch": {"cases": [
              {"when": {"lastSeen": "Login", "op": "exists", "value": "7d"}, "next": "a"},
              {"when": {"path": "properties.x", "within": "7d", "op": "exists"}, "next": "a"},
              {"when": {"lastSeen": "Login", "op": "gt", "value": "soon"}, "next": "a"}]}},
            \#(Self.ends)
            """#)
        let all = found.flatMap { path, messages in messages.map { "\(path): \($0)" } }.sorted().joined(separator: "\n")
        #expect(all.contains("lastSeen with 'exists' takes no value"), "\(all)")
        #expect(all.contains("within goes with count"), "\(all)")
        #expect(all.contains("bad duration 'soon'"), "\(all)")
        let missing = Self.issues(#"{"id": "c", "branch": {"cases": [{"when": {"count": "Order Completed", "op": "gte", "value": 2}, "next": "a"}]}}, \#(Self.ends)"#)
        #expect(missing["$.steps[0].branch.cases[0].when.within"] == ["missing required member 'within'"], "\(missing)")
    }

    @Test func theSchemaKnowsPathsAndTheSummaryConditions() throws {
        let schema = try SchemaTests.schema()
        let wait = schema.value(atPath: "$defs.step.properties.waitForEvent.properties")?.objectValue?.keys.sorted()
        #expect(wait == JourneyValidator.nestedMembers["waitForEvent"]?.sorted())
        let path = schema.value(atPath: "$defs.eventPath.properties")?.objectValue?.keys.sorted()
        #expect(path == JourneyValidator.nestedMembers["eventPath"]?.sorted())
        let forms = schema.value(atPath: "$defs.condition.oneOf")?.arrayValue ?? []
        let count = try #require(forms.first { $0["required"]?.arrayValue?.first == "count" })
        #expect(count["properties"]?.objectValue?.keys.sorted() == ["count", "op", "value", "within"])
        #expect(count.value(atPath: "properties.op.enum")?.arrayValue?.compactMap(\.stringValue) == ["eq", "ne", "gt", "gte", "lt", "lte"])
        let lastSeen = try #require(forms.first { $0["required"]?.arrayValue?.first == "lastSeen" })
        #expect(lastSeen.value(atPath: "properties.op.enum")?.arrayValue?.compactMap(\.stringValue) == ["gt", "gte", "lt", "lte", "exists", "notExists"])
        #expect(schema["$defs"]?["step"]?["properties"]?["waitForEvent"]?["required"] == ["timeout"])
    }
}

extension RicherWaitsValidatorTests {
    @Test func aDirectoryWhoseConditionsNameMoreEventsThanTheSummaryKeepsIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("summary-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ id: String, names: Range<Int>) throws {
            let any = names.map { #"{"lastSeen": "Event \#($0)", "op": "exists"}"# }.joined(separator: ", ")
            let json = #"{"id": "\#(id)", "trigger": {"behaviour": {"event": "Go", "where": {"any": [\#(any)]}}}, "steps": [{"id": "a", "exit": {}}]}"#
            try Data(json.utf8).write(to: directory.appendingPathComponent("\(id).json"))
        }
        try write("a", names: 0..<20)
        try write("b", names: 10..<32)
        #expect(JourneyValidator.validate(directory: directory).isEmpty, "32 names between them")
        try write("c", names: 30..<34)
        let issues = JourneyValidator.validate(directory: directory)
        #expect(issues.map(\.message) == ["the journeys' count and lastSeen conditions name 34 events; a user's summary keeps at most 32"])
        #expect(issues.first?.file.hasSuffix("c.json") == true)
    }
}
