import Foundation
import HeraldCore

extension EngineRun {
    mutating func handle(timer: JourneyTimer) {
        switch timer.kind {
        case .resume, .timeout: resume(timer)
        case .inactivity, .date: fireTrigger(timer)
        case .entry: enterQueued(timer)
        }
    }

    static func sameInstant(_ left: Date, _ right: Date) -> Bool {
        abs(left.timeIntervalSince(right)) < 0.001
    }

    mutating func stale(_ timer: JourneyTimer) {
        // A compact timer member carries no version (`JourneyTimer.init(member:dueAtMilliseconds:)`).
        let version = timer.version > 0 ? timer.version : (catalog.journey(id: timer.journey)?.version ?? 0)
        trail(
            timer.journey, version, instance: timer.instanceId, step: timer.step, .staleTimer,
            "Ignored timer \(timer.id): it no longer matches the user's state")
    }

    /// The end of a wait or an event-wait timeout.
    mutating func resume(_ timer: JourneyTimer) {
        guard let instanceId = timer.instanceId, let index = index(of: instanceId),
            let waiting = state.instances[index].waiting, waiting.timerId == timer.id,
            Self.sameInstant(waiting.dueAt, timer.dueAt)
        else {
            stale(timer)
            return
        }
        let instance = state.instances[index]
        guard let journey = catalog.journey(id: instance.journey, version: instance.version), let step = journey.step(waiting.step) else {
            return
        }
        state.instances[index].waiting = nil
        stat(journey.id, step.id, .waiting, -1)
        let lateness = max(0, now.timeIntervalSince(timer.dueAt))
        let latenessMs = Int(lateness * 1000)
        trail(journey.id, journey.version, instance: instanceId, step: step.id, .timerFired(latenessMs: latenessMs), "Timer fired \(latenessMs) ms after its due time")
        var skip = false
        if lateness > (journey.defaults.pastDueAfter?.interval ?? Self.defaultPastDueAfter) {
            let policy = step.pastDue ?? journey.defaults.pastDue ?? .sendLate
            stat(journey.id, step.id, .pastDue)
            switch policy {
            case .sendLate:
                trail(journey.id, journey.version, instance: instanceId, step: step.id, .pastDue(policy: "sendLate", latenessMs: latenessMs),
                      "Past due by \(latenessMs) ms; continuing late (sendLate)")
            case .skipIfLaterThan(let limit):
                skip = lateness > limit.interval
                let outcome = skip ? "skipping this resumption's sends" : "within the limit, continuing late"
                trail(journey.id, journey.version, instance: instanceId, step: step.id, .pastDue(policy: policy.description, latenessMs: latenessMs),
                      "Past due by \(latenessMs) ms; \(outcome) (\(policy))")
            case .fail:
                trail(journey.id, journey.version, instance: instanceId, step: step.id, .pastDue(policy: "fail", latenessMs: latenessMs),
                      "Past due by \(latenessMs) ms; failing the instance (fail)")
                finish(at: index, journey: journey, reason: "pastDue")
                return
            }
        }
        let next = waiting.kind == .timeout ? (step.waitForEvent?.onTimeout ?? journey.following(step.id)) : journey.following(step.id)
        if waiting.kind == .timeout {
            trail(journey.id, journey.version, instance: instanceId, step: step.id, .branchTaken(next ?? "(end)"),
                  "No \(step.waitForEvent?.label ?? "event") before the timeout; going to '\(next ?? "(end)")'")
        }
        runSteps(instanceId: instanceId, from: next, journey: journey, skipSends: skip)
    }

    /// A date or inactivity trigger's moment: enter with a synthetic trigger event.
    mutating func fireTrigger(_ timer: JourneyTimer) {
        guard let due = state.timers[timer.journey], Self.sameInstant(due, timer.dueAt) else {
            stale(timer)
            return
        }
        state.timers[timer.journey] = nil
        guard let journey = catalog.journey(id: timer.journey) else { return }
        let lateness = max(0, now.timeIntervalSince(timer.dueAt))
        let latenessMs = Int(lateness * 1000)
        trail(journey.id, journey.version, .timerFired(latenessMs: latenessMs), "\(timer.kind.rawValue) trigger fired \(latenessMs) ms after its due time")
        if lateness > (journey.defaults.pastDueAfter?.interval ?? Self.defaultPastDueAfter) {
            let policy = journey.defaults.pastDue ?? .sendLate
            stat(journey.id, nil, .pastDue)
            trail(journey.id, journey.version, .pastDue(policy: policy.description, latenessMs: latenessMs), "Trigger past due by \(latenessMs) ms (\(policy))")
            switch policy {
            case .sendLate: break
            case .skipIfLaterThan(let limit):
                if lateness > limit.interval {
                    notEntered(journey, "the \(timer.kind.rawValue) trigger was past due by \(latenessMs) ms (\(policy))")
                    return
                }
            case .fail:
                notEntered(journey, "the \(timer.kind.rawValue) trigger was past due by \(latenessMs) ms (fail)")
                return
            }
        }
        var properties: [String: JSONValue] = ["journey": .string(journey.id), "dueAt": .string(ISO8601.format(timer.dueAt))]
        let filter: JourneyCondition?
        if let rule = journey.trigger.inactivity {
            properties["inactiveFor"] = .string(rule.duration.text)
            properties["lastActivityAt"] = .string(ISO8601.format(timer.dueAt.addingTimeInterval(-rule.duration.interval)))
            filter = rule.filter
        } else {
            filter = journey.trigger.date?.filter
        }
        let event = Event(
            type: .track, messageId: "timer:\(timer.id):\(timer.dueAt.unixMilliseconds)", userId: userId,
            event: timer.kind == .date ? "$date" : "$inactivity", properties: properties, timestamp: timer.dueAt)
        let json = event.json
        if let filter, !filter.holds(in: conditionScope(event: json)) {
            notEntered(journey, "the profile does not meet the trigger's conditions")
            return
        }
        enter(journey, trigger: json, source: event.messageId)
    }

    /// Schedules each date trigger the user has no timer for (and reschedules on profile changes).
    mutating func scheduleDateTriggers(profileChanged: Bool) {
        for id in catalog.dateJourneys {
            guard let journey = catalog.journey(id: id), let rule = journey.trigger.date else { continue }
            let existing = state.timers[id]
            if existing != nil, !profileChanged { continue }
            let zone = LocalCalendar.zone(profile: profile, fallback: journey.defaults.timeZone)
            var due: Date?
            let time = rule.time ?? LocalTime("09:00")!
            if let recurring = rule.recurring {
                due = LocalCalendar.nextRecurring(recurring, offsetDays: rule.offsetDays ?? 0, time: time, after: now, zone: zone)
            } else if let trait = rule.trait {
                let annual = rule.anniversary ?? true
                let value = profile[trait]
                let day = annual
                    ? value.flatMap(LocalCalendar.monthDay).map { CalendarDay(year: 0, month: $0.month, day: $0.day) }
                    : value.flatMap(LocalCalendar.calendarDay)
                guard let day else {
                    if existing != nil {
                        // The date trait was removed or is no longer a date: the trigger goes with it.
                        state.timers[id] = nil
                        effects.append(.cancelTimer(id: JourneyTimer.triggerTimerId(user: userId, journey: id, kind: .date)))
                    }
                    continue
                }
                if annual {
                    due = LocalCalendar.nextAnnual(month: day.month, day: day.day, offsetDays: rule.offsetDays ?? 0, time: time, after: now, zone: zone)
                } else if let shifted = LocalCalendar.adding(rule.offsetDays ?? 0, to: day) {
                    // Once, on the trait's own date: past means no timer, a changed trait a new one.
                    due = LocalCalendar.date(year: shifted.year, month: shifted.month, day: shifted.day, time: time, zone: zone)
                }
            } else if let moment = rule.momentComponents {
                if existing == nil, state.markers[id]?.momentDone == true { continue }
                due = LocalCalendar.date(year: moment.year, month: moment.month, day: moment.day, time: moment.time, zone: zone)
                var marker = state.markers[id] ?? JourneyMarker()
                marker.momentDone = true
                state.markers[id] = marker
            }
            guard let when = due.map(LocalCalendar.millis) else { continue }
            if let existing, Self.sameInstant(existing, when) { continue }
            guard when > now else {
                if existing != nil {
                    effects.append(.cancelTimer(id: JourneyTimer.triggerTimerId(user: userId, journey: id, kind: .date)))
                    state.timers[id] = nil
                }
                continue
            }
            state.timers[id] = when
            effects.append(.scheduleTimer(JourneyTimer(
                id: JourneyTimer.triggerTimerId(user: userId, journey: id, kind: .date), userId: userId, journey: id, version: journey.version, kind: .date, dueAt: when)))
            trail(journey.id, journey.version, .waitingUntil(when), "Date trigger scheduled for \(Self.formatted(when))")
        }
    }
}
