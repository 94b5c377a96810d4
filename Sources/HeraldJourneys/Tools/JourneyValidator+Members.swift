import HeraldCore

extension JourneyValidator {
    /// Members allowed in each nested object, so a misspelt member is reported instead of ignored.
    static let nestedMembers: [String: Set<String>] = [
        "trigger": ["behaviour", "inactivity", "date", "milestone", "audience"],
        "behaviour": ["event", "where", "frequency"],
        "frequency": ["count", "within"],
        "inactivity": ["event", "for", "where"],
        "date": ["trait", "anniversary", "recurring", "time", "offset", "moment", "where"],
        "recurring": ["every", "month", "day", "weekday", "nth", "nextWeekday"],
        "milestone": ["event", "count", "trait", "crosses", "where"],
        "audience": ["where"],
        "entry": ["reentry", "concurrencyKey", "maxLiveInstancesPerUser", "maxResets", "vars", "throttle", "schedule"],
        "throttle": ["count", "per"],
        "schedule": ["start", "end", "days", "hours", "timeZone"],
        "hours": ["from", "to"],
        "frequencyCap": ["count", "within"],
        "exit": ["on", "audience", "leavesAudience"],
        "exitRule": ["event", "match", "where"],
        "goal": ["event", "within", "revenue", "match"],
        "defaults": ["timeZone", "pastDueAfter", "pastDue", "respectQuietHours", "frequencyCap"],
        "send": ["channel", "template", "category", "tracking", "frequencyCap"],
        "tracking": ["clicks", "opens"],
        "wait": ["duration", "window", "untilDate", "bestTime"],
        "bestTime": ["within", "fallback", "minimumEngagements"],
        "window": ["from", "to", "days"],
        "untilDate": ["path", "offset"],
        "waitForEvent": ["event", "where", "paths", "match", "timeout", "onEvent", "onTimeout"],
        "eventPath": ["name", "event", "where", "match", "next"],
        "branch": ["cases", "default"],
        "case": ["when", "next"],
        "split": ["groups", "assignment"],
        "group": ["name", "percent", "next", "holdout"],
        "exitStep": ["reason"],
        "updateProfile": ["set", "unset", "increment"],
        "callWebhook": ["url", "method", "headers", "body", "category"],
        "startJourney": ["journey"],
        "updateLists": ["add", "remove"],
    ]

    /// Unknown members in the nested objects of a journey document.
    static func unknownMembers(in document: [String: JSONValue]) -> [(path: String, message: String)] {
        var found: [(String, String)] = []
        func check(_ value: JSONValue?, _ kind: String, _ path: String) {
            guard let members = value?.objectValue, let allowed = nestedMembers[kind] else { return }
            for key in members.keys.sorted() where !allowed.contains(key) {
                found.append(("\(path).\(key)", "unknown member '\(key)'; expected one of " + allowed.sorted().joined(separator: ", ")))
            }
        }
        let trigger = document["trigger"]
        check(trigger, "trigger", "$.trigger")
        for kind in ["behaviour", "inactivity", "date", "milestone", "audience"] { check(trigger?[kind], kind, "$.trigger.\(kind)") }
        check(trigger?["behaviour"]?["frequency"], "frequency", "$.trigger.behaviour.frequency")
        check(trigger?["date"]?["recurring"], "recurring", "$.trigger.date.recurring")
        check(document["entry"], "entry", "$.entry")
        check(document["exit"], "exit", "$.exit")
        for (position, rule) in (document["exit"]?["on"]?.arrayValue ?? []).enumerated() { check(rule, "exitRule", "$.exit.on[\(position)]") }
        check(document["goal"], "goal", "$.goal")
        check(document["defaults"], "defaults", "$.defaults")
        checkPacingMembers(in: document, check: check)
        for (position, step) in (document["steps"]?.arrayValue ?? []).enumerated() {
            let path = "$.steps[\(position)]"
            for kind in ["send", "wait", "waitForEvent", "branch", "split", "updateProfile", "callWebhook", "startJourney", "updateLists"] {
                check(step[kind], kind, "\(path).\(kind)")
            }
            check(step["send"]?["tracking"], "tracking", "\(path).send.tracking")
            check(step["exit"], "exitStep", "\(path).exit")
            check(step["wait"]?["window"], "window", "\(path).wait.window")
            check(step["wait"]?["untilDate"], "untilDate", "\(path).wait.untilDate")
            for (index, choice) in (step["waitForEvent"]?["paths"]?.arrayValue ?? []).enumerated() {
                check(choice, "eventPath", "\(path).waitForEvent.paths[\(index)]")
            }
            check(step["wait"]?["bestTime"], "bestTime", "\(path).wait.bestTime")
            for (index, arm) in (step["branch"]?["cases"]?.arrayValue ?? []).enumerated() { check(arm, "case", "\(path).branch.cases[\(index)]") }
            for (index, group) in (step["split"]?["groups"]?.arrayValue ?? []).enumerated() { check(group, "group", "\(path).split.groups[\(index)]") }
        }
        return found
    }
}
