import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

@Suite struct ValidatorTests {
    static func issues(_ json: String) -> [JourneyValidationIssue] {
        JourneyValidator.validate(data: Data(json.utf8), file: "test.json")
    }

    static func steps(_ steps: String, top: String = "") -> String {
        """
        {"id": "j", "trigger": {"behaviour": {"event": "Go"}}, \(top) "steps": [\(steps)]}
        """
    }

    static func paths(_ json: String) -> [String] { issues(json).map(\.path) }

    @Test func aFixedMomentThatHasPassedEverywhereIsAWarningNotAnError() {
        func journey(_ moment: String) -> Data {
            Data(#"{"id": "j", "trigger": {"date": {"moment": "\#(moment)"}}, "steps": [{"id": "a", "exit": {}}]}"#.utf8)
        }
        let now = Date()
        func local(_ date: Date, zone: Int) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(secondsFromGMT: zone * 3600)
            formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
            return formatter.string(from: date)
        }
        // Two days ago in UTC−12 has passed everywhere; in an hour in UTC−12 has not.
        let past = local(now.addingTimeInterval(-2 * 86_400), zone: -12), soon = local(now.addingTimeInterval(3600), zone: -12)
        #expect(JourneyValidator.validate(data: journey(past), file: "j.json").isEmpty)
        #expect(JourneyValidator.warnings(data: journey(past), file: "j.json", now: now).map(\.path) == ["$.trigger.date.moment"])
        #expect(JourneyValidator.warnings(data: journey(soon), file: "j.json", now: now).isEmpty)
        // Ten minutes ago in Tokyo has not passed in New York yet: no warning.
        #expect(JourneyValidator.warnings(data: journey(local(now.addingTimeInterval(-600), zone: 9)), file: "j.json", now: now).isEmpty)
    }

    @Test func aValidJourneyHasNoIssues() {
        #expect(Self.issues(Fixture.cartJourney()).isEmpty)
    }

    @Test func badDurationNamesItsPath() {
        let found = Self.issues(Self.steps("""
            {"id": "a", "send": {"channel": "email", "template": "t"}},
            {"id": "b", "send": {"channel": "email", "template": "t"}},
            {"id": "c", "wait": {"duration": "3 days"}}
            """))
        #expect(found.map(\.path) == ["$.steps[2].wait.duration"])
        #expect(found.first?.message.contains("bad duration '3 days'") == true)
    }

    @Test func unknownStepKindIsReported() {
        let found = Self.issues(Self.steps(#"{"id": "a", "sendFax": {"to": "x"}}"#))
        #expect(found.map(\.path) == ["$.steps[0].sendFax"])
        #expect(found.first?.message.contains("unknown step kind 'sendFax'") == true)
        #expect(Self.paths(Self.steps(#"{"id": "a"}"#)) == ["$.steps[0]"])
        #expect(Self.issues(Self.steps(#"{"id": "a", "exit": {}, "wait": {"duration": "1h"}}"#)).first?.message.contains("exactly one kind") == true)
    }

    @Test func unknownNextTargetIsReported() {
        let found = Self.issues(Self.steps(#"{"id": "a", "send": {"channel": "email", "template": "t"}, "next": "nowhere"}"#))
        #expect(found.map(\.path) == ["$.steps[0].next"])
        #expect(found.first?.message.contains("'nowhere'") == true)
        let branch = Self.paths(Self.steps("""
            {"id": "a", "branch": {"cases": [{"when": {"path": "properties.x", "op": "exists"}, "next": "ghost"}], "default": "b"}},
            {"id": "b", "exit": {}}
            """))
        #expect(branch == ["$.steps[0].branch.cases[0].next"])
    }

    @Test func unknownChannelIsReported() {
        let found = Self.issues(Self.steps(#"{"id": "a", "send": {"channel": "fax", "template": "t"}}"#))
        #expect(found.map(\.path) == ["$.steps[0].send.channel"])
        #expect(found.first?.message.contains("unknown channel 'fax'") == true)
    }

    @Test func missingTemplateIsReported() {
        #expect(Self.paths(Self.steps(#"{"id": "a", "send": {"channel": "email"}}"#)) == ["$.steps[0].send.template"])
        #expect(Self.paths(Self.steps(#"{"id": "a", "send": {"channel": "email", "template": " "}}"#)) == ["$.steps[0].send.template"])
    }

    @Test func splitPercentagesMustSumToAHundred() {
        let found = Self.issues(Self.steps("""
            {"id": "s", "split": {"groups": [{"name": "a", "percent": 50}, {"name": "b", "percent": 40, "holdout": true}]}},
            {"id": "x", "send": {"channel": "email", "template": "t"}}
            """))
        #expect(found.map(\.path) == ["$.steps[0].split.groups"])
        #expect(found.first?.message.contains("sum to 90") == true)
    }

    @Test func unreachableStepsAreReported() {
        let found = Self.issues(Self.steps("""
            {"id": "a", "send": {"channel": "email", "template": "t"}, "next": "c"},
            {"id": "b", "send": {"channel": "sms", "template": "t"}},
            {"id": "c", "exit": {}}
            """))
        #expect(found.map(\.path) == ["$.steps[1]"])
        #expect(found.first?.message.contains("unreachable") == true)
    }

    @Test func triggerAndEntryProblemsAreReported() {
        #expect(Self.paths(#"{"id": "j", "trigger": {}, "steps": [{"id": "a", "exit": {}}]}"#) == ["$.trigger"])
        #expect(Self.paths(#"{"id": "j", "trigger": {"date": {"moment": "27/11/2026"}}, "steps": [{"id": "a", "exit": {}}]}"#) == ["$.trigger.date.moment"])
        #expect(Self.paths(Self.steps(#"{"id": "a", "exit": {}}"#, top: #""defaults": {"timeZone": "Mars/Olympus"},"#)) == ["$.defaults.timeZone"])
        #expect(Self.paths(Self.steps(#"{"id": "a", "exit": {}}"#, top: #""entry": {"concurrencyKey": "cart_id"},"#)) == ["$.entry.concurrencyKey"])
        #expect(Self.paths(Self.steps(#"{"id": "a", "exit": {}}"#, top: #""entry": {"reentry": "sometimes"},"#)) == ["$.entry.reentry"])
        #expect(Self.paths(#"{"trigger": {"behaviour": {"event": "Go"}}, "steps": [{"id": "a", "exit": {}}]}"#) == ["$.id"])
        #expect(Self.paths(#"{"id": "j", "trigger": {"behaviour": {"event": "Go", "where": {"path": "properties.x", "op": "like", "value": 1}}}, "steps": [{"id": "a", "exit": {}}]}"#) == ["$.trigger.behaviour.where.op"])
    }

    @Test func misspeltNestedMembersAreReported() {
        let found = Self.issues(Self.steps(#"{"id": "a", "wait": {"duration": "1h", "jitter": "5m"}}"#, top: #""entry": {"reentr": "never"},"#))
        #expect(found.map(\.path) == ["$.entry.reentr", "$.steps[0].wait.jitter"])
        #expect(found.first?.message.contains("unknown member 'reentr'") == true)
        #expect(Self.paths(Self.steps(#"{"id": "a", "exit": {}}"#, top: #""goal": {"event": "X", "within": "1d", "revenu": "properties.total"},"#)) == ["$.goal.revenu"])
    }

    @Test func sendTrackingIsForEmailStepsAndItsMembersAreChecked() {
        #expect(Self.issues(Self.steps(#"{"id": "a", "send": {"channel": "email", "template": "t", "tracking": {"clicks": true, "opens": true}}}"#)).isEmpty)
        #expect(Self.paths(Self.steps(#"{"id": "a", "send": {"channel": "email", "template": "t", "tracking": {"click": true}}}"#)) == ["$.steps[0].send.tracking.click"])
        let sms = Self.issues(Self.steps(#"{"id": "a", "send": {"channel": "sms", "template": "t", "tracking": {"clicks": true}}}"#))
        #expect(sms.count == 1 && sms.first?.message.contains("email send steps only") == true, "\(sms)")
    }

    @Test func otherStepProblemsAreReported() {
        #expect(Self.paths(Self.steps(#"{"id": "a", "wait": {"window": {"from": "09:00", "to": "09:00"}}}"#)) == ["$.steps[0].wait.window"])
        #expect(Self.paths(Self.steps(#"{"id": "a", "wait": {"window": {"from": "9am", "to": "18:00"}}}"#)) == ["$.steps[0].wait.window.from"])
        #expect(Self.paths(Self.steps(#"{"id": "a", "wait": {}}"#)) == ["$.steps[0].wait"])
        #expect(Self.paths(Self.steps(#"{"id": "a", "exit": {}}, {"id": "a", "exit": {}}"#)) == ["$.steps[1].id"])
        #expect(Self.paths(Self.steps(#"{"id": "a", "send": {"channel": "email", "template": "t"}, "pastDue": "later"}"#)) == ["$.steps[0].pastDue"])
        #expect(Self.paths(#"{"id": "j", "trigger": {"behaviour": {"event": "Go"}}, "steps": []}"#) == ["$.steps"])
        #expect(Self.paths("{not json") == ["$"])
    }
}
