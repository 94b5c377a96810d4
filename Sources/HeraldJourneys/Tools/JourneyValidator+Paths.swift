import Foundation

extension JourneyValidator {
    /// A `waitForEvent` step: one event or action paths, known targets, no path shadowed by an
    /// earlier one.
    static func checkEventWait(_ awaited: WaitForEventStep, at path: String, known: [String: Int], issue: (String, String) -> Void) {
        func target(_ id: String?, _ location: String) {
            guard let id else { return }
            if known[id] == nil { issue(location, "unknown step '\(id)'; no step has this id") }
        }
        target(awaited.onTimeout, "\(path).onTimeout")
        guard let paths = awaited.paths else {
            if let event = awaited.event {
                if event.isEmpty { issue("\(path).event", "name the awaited event") }
            } else {
                issue(path, "set event (one awaited event) or paths (action paths, each with its event and next)")
            }
            if let filter = awaited.filter { checkCondition(filter, at: "\(path).where", allowHappened: true, issue: issue) }
            target(awaited.onEvent, "\(path).onEvent")
            return
        }
        if awaited.event != nil { issue("\(path).event", "set event or paths, not both; each path names its event") }
        if awaited.filter != nil { issue("\(path).where", "with paths, each path has its own where") }
        if awaited.onEvent != nil { issue("\(path).onEvent", "with paths, each path names its next step") }
        if paths.isEmpty { issue("\(path).paths", "list at least one path") }
        var names: [String: Int] = [:]
        for (position, choice) in paths.enumerated() {
            let location = "\(path).paths[\(position)]"
            if choice.event.isEmpty { issue("\(location).event", "name the awaited event") }
            target(choice.next, "\(location).next")
            if let filter = choice.filter { checkCondition(filter, at: "\(location).where", allowHappened: true, issue: issue) }
            if let name = choice.name {
                if let first = names[name] { issue("\(location).name", "duplicate path name '\(name)' (also \(path).paths[\(first)])") } else { names[name] = position }
            }
            let match = choice.match ?? awaited.match ?? []
            for (earlier, before) in paths[..<position].enumerated() where before.event == choice.event && (before.match ?? awaited.match ?? []) == match {
                if before.filter == choice.filter {
                    issue(location, "duplicate path: the same event, match and where as \(path).paths[\(earlier)]")
                    break
                }
                if before.filter == nil {
                    issue(location, "never taken: \(path).paths[\(earlier)] takes every '\(choice.event)' first")
                    break
                }
            }
        }
    }

    /// A `count` or `lastSeen` condition: a named event, an operator that fits, and for `count`
    /// a `within` of whole days inside the summary's horizon.
    static func checkSummaryCondition(_ condition: JourneyCondition, at path: String, issue: (String, String) -> Void) {
        let horizon = EventActivity.horizonDays
        switch condition {
        case .count(let event, let within, let op, _):
            if event.isEmpty { issue("\(path).count", "name the counted event") }
            if ![.eq, .ne, .gt, .gte, .lt, .lte].contains(op) {
                issue("\(path).op", "a count compares with eq, ne, gt, gte, lt or lte, not '\(op.rawValue)'")
            }
            if within.seconds <= 0 || within.seconds % 86_400 != 0 {
                issue("\(path).within", "write whole days or weeks, e.g. 30d: the summary counts per UTC day")
            } else if within.seconds > horizon * 86_400 {
                issue("\(path).within", "'\(within)' is longer than the event summary's horizon of \(horizon)d")
            }
        case .lastSeen(let event, let op, _):
            if event.isEmpty { issue("\(path).lastSeen", "name the event") }
            if ![.gt, .gte, .lt, .lte, .exists, .notExists].contains(op) {
                issue("\(path).op", "lastSeen compares the time since with gt, gte, lt or lte (a duration value), or tests exists / notExists, not '\(op.rawValue)'")
            }
        default:
            break
        }
    }

    /// Journeys that together name more events in `count` / `lastSeen` conditions than a user's
    /// summary keeps (`UserJourneyState.maximumSummarizedEvents`): reported at the first file past it.
    public static func summaryIssues(_ files: [(file: String, names: Set<String>)]) -> [JourneyValidationIssue] {
        let total = files.reduce(into: Set<String>()) { $0.formUnion($1.names) }.count
        guard total > UserJourneyState.maximumSummarizedEvents else { return [] }
        var union: Set<String> = []
        let first = files.first { union.formUnion($0.names); return union.count > UserJourneyState.maximumSummarizedEvents }
        return [JourneyValidationIssue(
            file: first?.file ?? "", path: "$",
            message: "the journeys' count and lastSeen conditions name \(total) events; a user's summary keeps at most \(UserJourneyState.maximumSummarizedEvents)")]
    }
}
