import Foundation
import HeraldCore

extension JourneyValidator {
    /// Unknown members of the pacing objects: `entry.throttle`, `entry.schedule` (and its
    /// `hours`), `defaults.frequencyCap` and each send step's `frequencyCap`.
    static func checkPacingMembers(in document: [String: JSONValue], check: (JSONValue?, String, String) -> Void) {
        check(document["entry"]?["throttle"], "throttle", "$.entry.throttle")
        check(document["entry"]?["schedule"], "schedule", "$.entry.schedule")
        check(document["entry"]?["schedule"]?["hours"], "hours", "$.entry.schedule.hours")
        check(document["defaults"]?["frequencyCap"], "frequencyCap", "$.defaults.frequencyCap")
        for (position, step) in (document["steps"]?.arrayValue ?? []).enumerated() {
            check(step["send"]?["frequencyCap"], "frequencyCap", "$.steps[\(position)].send.frequencyCap")
        }
    }

    /// What decoding cannot check of the pacing rules: counts and windows in range, dates that
    /// read and are in order, a known zone, hours that differ.
    static func checkPacing(_ journey: Journey, issue: (String, String) -> Void) {
        if let cap = journey.defaults.frequencyCap { checkCap(cap, at: "$.defaults.frequencyCap", issue: issue) }
        for (position, step) in journey.steps.enumerated() {
            if let cap = step.send?.frequencyCap { checkCap(cap, at: "$.steps[\(position)].send.frequencyCap", issue: issue) }
        }
        if let throttle = journey.entry.throttle {
            if throttle.count < 1 || throttle.count > EntryThrottle.maximumCount {
                issue("$.entry.throttle.count", "must be 1 to \(EntryThrottle.maximumCount)")
            }
            if let per = throttle.per, per.seconds < 1 { issue("$.entry.throttle.per", "must be at least 1s") }
        }
        guard let schedule = journey.entry.schedule else { return }
        let path = "$.entry.schedule"
        var zone = TimeZone(identifier: "UTC")!
        if let name = schedule.timeZone {
            if let known = TimeZone(identifier: name) { zone = known } else {
                issue("\(path).timeZone", "unknown time zone '\(name)'; use an IANA name such as Europe/Berlin")
            }
        } else if let name = journey.defaults.timeZone, let known = TimeZone(identifier: name) {
            zone = known
        }
        let form = "write YYYY-MM-DD, a local YYYY-MM-DDTHH:MM or an ISO 8601 date-time with an offset"
        if let start = schedule.start, schedule.startDate(zone: zone) == nil { issue("\(path).start", "bad date '\(start)'; \(form)") }
        if let end = schedule.end, schedule.endDate(zone: zone) == nil { issue("\(path).end", "bad date '\(end)'; \(form)") }
        if let start = schedule.startDate(zone: zone), let end = schedule.endDate(zone: zone), end <= start {
            issue("\(path).end", "the schedule ends (\(schedule.end ?? "")) before it starts (\(schedule.start ?? ""))")
        }
        if let days = schedule.days, days.isEmpty { issue("\(path).days", "list at least one day, or omit for every day") }
        if let hours = schedule.hours, hours.from == hours.to {
            issue("\(path).hours", "'from' and 'to' are both \(hours.from); hours need two different times")
        }
        if schedule.start == nil, schedule.end == nil, schedule.days == nil, schedule.hours == nil {
            issue(path, "set at least one of start, end, days, hours")
        }
    }

    static func checkCap(_ cap: JourneyFrequencyCap, at path: String, issue: (String, String) -> Void) {
        if cap.count < 1 || cap.count > JourneyFrequencyCap.maximumCount {
            issue("\(path).count", "must be 1 to \(JourneyFrequencyCap.maximumCount)")
        }
        if cap.within.seconds < 1 { issue("\(path).within", "must be longer than zero") }
    }
}
