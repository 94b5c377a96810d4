import Foundation

extension JourneyValidator {
    /// Checks that decoding cannot: references, reachability, shares, zones, paths.
    static func semanticIssues(_ journey: Journey, file: String) -> [JourneyValidationIssue] {
        var issues: [JourneyValidationIssue] = []
        func issue(_ path: String, _ message: String) {
            issues.append(JourneyValidationIssue(file: file, path: path, message: message))
        }
        if journey.id.isEmpty || !journey.id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) || journey.id.contains("|") {
            issue("$.id", "the id must be non-empty letters, digits, '-' or '_'")
        }
        if journey.version < 1 { issue("$.version", "the version must be 1 or more") }
        checkTrigger(journey.trigger, issue: issue)
        if let zone = journey.defaults.timeZone, TimeZone(identifier: zone) == nil {
            issue("$.defaults.timeZone", "unknown time zone '\(zone)'; use an IANA name such as Europe/Berlin")
        }
        if let cap = journey.entry.maxLiveInstancesPerUser, cap < 1 {
            issue("$.entry.maxLiveInstancesPerUser", "must be 1 or more")
        }
        if let resets = journey.entry.maxResets, resets < 0 { issue("$.entry.maxResets", "must be 0 or more") }
        if let key = journey.entry.concurrencyKey { checkPath(key, at: "$.entry.concurrencyKey", issue: issue) }
        for (name, path) in (journey.entry.vars ?? [:]).sorted(by: { $0.key < $1.key }) {
            checkPath(path, at: "$.entry.vars.\(name)", issue: issue)
        }
        if let audience = journey.exit?.audience {
            checkAudience(audience, at: "$.exit.audience", roots: ["profile", "vars"], issue: issue)
        }
        if journey.exit?.leavesAudience == true, journey.trigger.audience == nil {
            issue("$.exit.leavesAudience", "leavesAudience ends an instance when the profile leaves the trigger's audience; the trigger is not an audience")
        }
        for (position, rule) in (journey.exit?.on ?? []).enumerated() {
            if rule.event.isEmpty { issue("$.exit.on[\(position)].event", "name the exit event") }
            if let filter = rule.filter { checkCondition(filter, at: "$.exit.on[\(position)].where", allowHappened: false, issue: issue) }
        }
        if let goal = journey.goal, goal.event.isEmpty { issue("$.goal.event", "name the goal event") }
        checkPacing(journey, issue: issue)
        guard !journey.steps.isEmpty else {
            issue("$.steps", "a journey needs at least one step")
            return issues
        }
        var seen: [String: Int] = [:]
        for (position, step) in journey.steps.enumerated() {
            if step.id.isEmpty { issue("$.steps[\(position)].id", "a step needs a non-empty id") }
            if let first = seen[step.id] {
                issue("$.steps[\(position)].id", "duplicate step id '\(step.id)' (also $.steps[\(first)])")
            } else {
                seen[step.id] = position
            }
        }
        for (position, step) in journey.steps.enumerated() {
            checkStep(step, at: "$.steps[\(position)]", known: seen, issue: issue)
            checkActions(step, at: "$.steps[\(position)]", journey: journey, issue: issue)
        }
        for (position, step) in journey.steps.enumerated() where !reachable(journey).contains(step.id) {
            issue("$.steps[\(position)]", "step '\(step.id)' is unreachable from the first step '\(journey.steps[0].id)'")
        }
        return issues
    }

    static func checkTrigger(_ trigger: JourneyTrigger, issue: (String, String) -> Void) {
        guard trigger.kindCount == 1 else {
            issue("$.trigger", "set exactly one of behaviour, inactivity, date, milestone, audience")
            return
        }
        if let behaviour = trigger.behaviour {
            if behaviour.event.isEmpty { issue("$.trigger.behaviour.event", "name the trigger event") }
            if let filter = behaviour.filter { checkCondition(filter, at: "$.trigger.behaviour.where", allowHappened: false, issue: issue) }
            if let frequency = behaviour.frequency, frequency.count < 1 {
                issue("$.trigger.behaviour.frequency.count", "must be 1 or more")
            }
        }
        if let inactivity = trigger.inactivity {
            if inactivity.duration.seconds <= 0 { issue("$.trigger.inactivity.for", "must be longer than zero") }
            if let filter = inactivity.filter { checkCondition(filter, at: "$.trigger.inactivity.where", allowHappened: false, issue: issue) }
        }
        if let date = trigger.date {
            let forms = [date.trait != nil, date.recurring != nil, date.moment != nil].filter { $0 }.count
            if forms != 1 {
                issue("$.trigger.date", "set exactly one of trait (a profile date), recurring (a calendar rule) or moment (fixed)")
            }
            if let moment = date.moment, date.momentComponents == nil {
                issue("$.trigger.date.moment", "bad moment '\(moment)'; write a local YYYY-MM-DDTHH:MM, e.g. 2026-11-27T09:00")
            }
            if date.moment != nil, date.offset != nil { issue("$.trigger.date.offset", "an offset applies to the trait and recurring forms; write the moment itself") }
            if date.moment != nil, date.time != nil { issue("$.trigger.date.time", "a moment carries its own time; time applies to the trait and recurring forms") }
            if date.anniversary != nil, date.trait == nil { issue("$.trigger.date.anniversary", "anniversary applies to the trait form only") }
            if let offset = date.offset, date.offsetDays == nil {
                issue("$.trigger.date.offset", "bad offset '\(offset)'; write whole days or weeks with an optional leading '-', e.g. -7d or 1w")
            }
            if let rule = date.recurring { checkCalendarRule(rule, at: "$.trigger.date.recurring", issue: issue) }
            if let filter = date.filter { checkCondition(filter, at: "$.trigger.date.where", allowHappened: false, issue: issue) }
        }
        if let audience = trigger.audience {
            checkAudience(audience.filter, at: "$.trigger.audience.where", roots: ["profile"], issue: issue)
        }
        if let milestone = trigger.milestone {
            let byCount = milestone.event != nil || milestone.count != nil
            let byTrait = milestone.trait != nil || milestone.crosses != nil
            if byCount == byTrait {
                issue("$.trigger.milestone", "use either event with count, or trait with crosses")
            } else if byCount {
                if milestone.event == nil { issue("$.trigger.milestone.event", "missing required member 'event'") }
                if (milestone.count ?? 0) < 1 { issue("$.trigger.milestone.count", "count must be 1 or more") }
            } else {
                if milestone.trait == nil { issue("$.trigger.milestone.trait", "missing required member 'trait'") }
                if milestone.crosses == nil { issue("$.trigger.milestone.crosses", "missing required member 'crosses'") }
            }
        }
    }

    static func checkCalendarRule(_ rule: CalendarRule, at path: String, issue: (String, String) -> Void) {
        switch rule.every {
        case .year:
            if let month = rule.month {
                if !(1...12).contains(month) { issue("\(path).month", "the month is 1 (January) to 12 (December)") }
            } else {
                issue("\(path).month", "a yearly rule names its month, 1 (January) to 12 (December)")
            }
        case .month:
            if rule.month != nil { issue("\(path).month", "a monthly rule comes round every month; remove month or write every: year") }
        }
        switch (rule.day, rule.weekday) {
        case (.some(let day), nil):
            if day == 0 || !(-31...31).contains(day) { issue("\(path).day", "the day is 1 to 31, or -1 (the last day) to -31") }
            if rule.nth != nil { issue("\(path).nth", "nth goes with weekday, not day") }
        case (nil, .some):
            if let nth = rule.nth {
                if nth == 0 || !(-5...5).contains(nth) { issue("\(path).nth", "nth is 1 to 5 (from the start of the month) or -1 (the last) to -5") }
            } else {
                issue("\(path).nth", "say which weekday of the month: nth 1 to 5, or -1 for the last")
            }
        default:
            issue(path, "set exactly one of day (a day of the month) or weekday with nth")
        }
    }

    static func checkStep(_ step: JourneyStep, at path: String, known: [String: Int], issue: (String, String) -> Void) {
        func target(_ id: String?, _ where_: String) {
            guard let id else { return }
            if known[id] == nil { issue(where_, "unknown step '\(id)'; no step has this id") }
        }
        target(step.next, "\(path).next")
        if let send = step.send, send.template.trimmingCharacters(in: .whitespaces).isEmpty {
            issue("\(path).send.template", "missing template name")
        }
        if let wait = step.wait {
            let forms = [wait.duration != nil, wait.window != nil, wait.untilDate != nil, wait.bestTime != nil].filter { $0 }.count
            if forms != 1 { issue("\(path).wait", "set exactly one of duration, window, untilDate, bestTime") }
            if let best = wait.bestTime { checkBestTime(best, at: "\(path).wait.bestTime", issue: issue) }
            if let duration = wait.duration, duration.seconds <= 0 { issue("\(path).wait.duration", "must be longer than zero") }
            if let window = wait.window {
                // A `to` before `from` is a window across midnight (22:00–06:00).
                if window.from == window.to { issue("\(path).wait.window", "'from' and 'to' are both \(window.from); a window needs two different times") }
                if let days = window.days, days.isEmpty { issue("\(path).wait.window.days", "list at least one day, or omit for every day") }
            }
            if let until = wait.untilDate {
                checkPath(until.path, at: "\(path).wait.untilDate.path", issue: issue)
                if until.offsetSeconds == nil { issue("\(path).wait.untilDate.offset", "bad offset '\(until.offset ?? "")'; write e.g. 1d or -2h") }
            }
        }
        if let awaited = step.waitForEvent { checkEventWait(awaited, at: "\(path).waitForEvent", known: known, issue: issue) }
        if let branch = step.branch {
            if branch.cases.isEmpty { issue("\(path).branch.cases", "a branch needs at least one case") }
            for (position, arm) in branch.cases.enumerated() {
                target(arm.next, "\(path).branch.cases[\(position)].next")
                checkCondition(arm.when, at: "\(path).branch.cases[\(position)].when", allowHappened: true, issue: issue)
            }
            target(branch.default, "\(path).branch.default")
        }
        if let split = step.split {
            if split.groups.count < 2 { issue("\(path).split.groups", "a split needs at least two groups") }
            let total = split.groups.reduce(0) { $0 + $1.percent }
            if total != 100 { issue("\(path).split.groups", "percentages sum to \(total); they must sum to 100") }
            for (position, group) in split.groups.enumerated() {
                if group.percent < 0 { issue("\(path).split.groups[\(position)].percent", "must be 0 or more") }
                target(group.next, "\(path).split.groups[\(position)].next")
            }
            let names = split.groups.map(\.name)
            if Set(names).count != names.count { issue("\(path).split.groups", "group names must be unique") }
        }
    }

    static func checkCondition(_ condition: JourneyCondition, at path: String, allowHappened: Bool, issue: (String, String) -> Void) {
        switch condition {
        case .compare(let target, _, _): checkPath(target, at: "\(path).path", issue: issue)
        case .all(let list):
            for (position, inner) in list.enumerated() { checkCondition(inner, at: "\(path).all[\(position)]", allowHappened: allowHappened, issue: issue) }
        case .any(let list):
            for (position, inner) in list.enumerated() { checkCondition(inner, at: "\(path).any[\(position)]", allowHappened: allowHappened, issue: issue) }
        case .not(let inner): checkCondition(inner, at: "\(path).not", allowHappened: allowHappened, issue: issue)
        case .happened(let name):
            if !allowHappened { issue("\(path).happened", "'happened' only works in branch conditions of a running instance") }
            if name.isEmpty { issue("\(path).happened", "name the event") }
        case .count, .lastSeen:
            checkSummaryCondition(condition, at: path, issue: issue)
        case .inList(let name):
            if !UpdateListsStep.isValidName(name) { issue("\(path).inList", "bad list name '\(name)'; 1 to 64 letters, digits, '-', '_', '.' or ':'") }
        }
    }

    /// An audience is a profile condition, checked when no event is at hand: only `roots` may be read.
    static func checkAudience(_ condition: JourneyCondition, at path: String, roots: Set<String>, issue: (String, String) -> Void) {
        checkCondition(condition, at: path, allowHappened: false, issue: issue)
        func walk(_ condition: JourneyCondition, _ path: String) {
            switch condition {
            case .compare(let target, _, _):
                let root = target.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
                if JourneyCondition.roots.contains(root), !roots.contains(root) {
                    issue("\(path).path", "an audience reads the profile: write a path under " + roots.sorted().map { "\($0).*" }.joined(separator: " or "))
                }
            case .all(let list): for (position, inner) in list.enumerated() { walk(inner, "\(path).all[\(position)]") }
            case .any(let list): for (position, inner) in list.enumerated() { walk(inner, "\(path).any[\(position)]") }
            case .not(let inner): walk(inner, "\(path).not")
            case .happened, .inList: break
            case .count, .lastSeen:
                // They change with every event and with the passing of time, but an audience is
                // checked only when the profile changes.
                issue(path, "an audience is checked when the profile changes; count and lastSeen belong in branches and waits")
            }
        }
        walk(condition, path)
    }

    static func checkPath(_ path: String, at location: String, issue: (String, String) -> Void) {
        let root = path.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        if !JourneyCondition.roots.contains(root) {
            issue(location, "path '\(path)' must start with one of " + JourneyCondition.roots.sorted().joined(separator: ", "))
        }
    }

    /// Step ids reachable from the first step.
    static func reachable(_ journey: Journey) -> Set<String> {
        var visited: Set<String> = []
        var queue = [journey.steps[0].id]
        while let id = queue.popLast() {
            guard !visited.contains(id), let step = journey.step(id) else { continue }
            visited.insert(id)
            let following = journey.following(id)
            var edges: [String?] = []
            switch step.kind {
            case .send, .wait, .updateProfile, .callWebhook, .startJourney, .updateLists: edges = [following]
            case .waitForEvent:
                let awaited = step.waitForEvent
                let onEvent: [String?] = awaited?.paths.map { $0.map(\.next) } ?? [awaited?.onEvent ?? following]
                edges = onEvent + [awaited?.onTimeout ?? following]
            case .branch: edges = (step.branch?.cases.map(\.next) ?? []) + [step.branch?.default ?? following]
            case .split: edges = (step.split?.groups ?? []).map { $0.holdout == true ? nil : ($0.next ?? following) }
            case .exit: edges = []
            }
            queue += edges.compactMap { $0 }
        }
        return visited
    }
}
