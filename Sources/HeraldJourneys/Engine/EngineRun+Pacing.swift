import Foundation
import HeraldCore

extension EngineRun {
    // MARK: Entry schedule

    /// Why the journey's `entry.schedule` refuses an entry now, or `nil` when it accepts it. The
    /// reason starts with "outside the entry schedule" (the simulator's `because: schedule`).
    func scheduleRefusal(_ journey: Journey) -> String? {
        guard let schedule = journey.entry.schedule else { return nil }
        let zoneName = schedule.timeZone ?? journey.defaults.timeZone ?? "UTC"
        let zone = TimeZone(identifier: zoneName) ?? TimeZone(identifier: "UTC")!
        let prefix = "outside the entry schedule"
        if let start = schedule.startDate(zone: zone), now < start {
            return "\(prefix): it opens at \(Self.formatted(start)) (\(schedule.start ?? ""), \(zoneName))"
        }
        if let end = schedule.endDate(zone: zone), now >= end {
            return "\(prefix): it closed at \(Self.formatted(end)) (\(schedule.end ?? ""), \(zoneName))"
        }
        let calendar = LocalCalendar.calendar(zone)
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: now)
        guard let weekday = parts.weekday, let hour = parts.hour, let minute = parts.minute else { return nil }
        let allowed = Set((schedule.days ?? Weekday.allCases).map(\.calendarWeekday))
        let dayNames = (schedule.days ?? Weekday.allCases).map(\.rawValue).joined(separator: ", ")
        guard let hours = schedule.hours else {
            return allowed.contains(weekday) ? nil : "\(prefix): entries are accepted on \(dayNames) (\(zoneName))"
        }
        let minuteOfDay = hour * 60 + minute
        let previousDay = weekday == 1 ? 7 : weekday - 1
        let inside: Bool
        if hours.from < hours.to {
            inside = allowed.contains(weekday) && hours.from.minuteOfDay <= minuteOfDay && minuteOfDay < hours.to.minuteOfDay
        } else {
            // Across midnight: the hours belong to the day they open on.
            inside = (allowed.contains(weekday) && minuteOfDay >= hours.from.minuteOfDay)
                || (allowed.contains(previousDay) && minuteOfDay < hours.to.minuteOfDay)
        }
        if inside { return nil }
        return "\(prefix): entries are accepted \(hours.from)–\(hours.to) on \(dayNames) (\(zoneName))"
    }

    // MARK: Entry throttle

    /// Holds a throttled entry until its reserved slot: the instance is kept (so the live cap,
    /// a repeated trigger and an exit event see it) with a timer at the slot, and has not entered.
    mutating func queue(_ instance: JourneyInstance, until slot: Date, throttle: EntryThrottle, journey: Journey) {
        var instance = instance
        let timerId = JourneyTimer.instanceTimerId(user: userId, journey: journey.id, instanceId: instance.id, step: instance.step, kind: .entry)
        instance.waiting = WaitingInfo(step: instance.step, timerId: timerId, dueAt: slot, kind: .entry)
        state.instances.append(instance)
        effects.append(.scheduleTimer(JourneyTimer(
            id: timerId, userId: userId, journey: journey.id, version: journey.version, instanceId: instance.id, step: instance.step,
            kind: .entry, dueAt: slot)))
        let per = throttle.per?.text ?? "1m"
        trail(
            journey.id, journey.version, instance: instance.id, step: instance.step, .entryQueued(until: slot),
            "Queued by the entry throttle (\(throttle.count) per \(per)); enters at \(Self.formatted(slot))")
        stat(journey.id, nil, .queued)
    }

    /// A queued entry's slot has come: it enters now.
    mutating func enterQueued(_ timer: JourneyTimer) {
        guard let instanceId = timer.instanceId, let index = index(of: instanceId),
            let waiting = state.instances[index].waiting, waiting.kind == .entry, waiting.timerId == timer.id,
            Self.sameInstant(waiting.dueAt, timer.dueAt)
        else {
            stale(timer)
            return
        }
        let instance = state.instances[index]
        guard let journey = catalog.journey(id: instance.journey, version: instance.version) else { return }
        state.instances[index].waiting = nil
        state.instances[index].enteredAt = now
        admit(instanceId: instanceId, journey: journey)
    }

    /// A queued entry sees only exit events: one that matches drops it, so it never enters.
    mutating func reactWhileQueued(to name: String, json: JSONValue, at index: Int) {
        let instance = state.instances[index]
        guard let journey = catalog.journey(id: instance.journey, version: instance.version) else { return }
        for rule in journey.exit?.on ?? [] where rule.event == name {
            guard Self.sameValues(at: rule.match, incoming: json, trigger: instance.trigger.value) else { continue }
            if let filter = rule.filter, !filter.holds(in: ConditionScope(event: json, profile: profile, vars: instance.variables)) {
                continue
            }
            state.instances.remove(at: index)
            if let waiting = instance.waiting { effects.append(.cancelTimer(id: waiting.timerId)) }
            trail(
                journey.id, journey.version, instance: instance.id, step: instance.step, .exited(reason: "exitEvent: \(name) (queued)"),
                "Exited before entering: '\(name)' arrived while the entry was queued")
            stat(journey.id, nil, .exited)
            return
        }
    }

    // MARK: Frequency caps

    /// The cap that skips this send, in words, or `nil`: the step's own `frequencyCap` (any
    /// category), then the journey's `defaults.frequencyCap` (marketing sends only, like the
    /// senders' fleet-wide caps).
    func cappingRule(_ send: SendStep, step: JourneyStep, journey: Journey) -> String? {
        let marker = state.markers[journey.id]
        if let cap = send.frequencyCap, let reason = Self.capReason(cap, sends: marker?.stepSends?[step.id] ?? [], now: now, owner: "the step's") {
            return reason
        }
        if let cap = journey.defaults.frequencyCap, send.category == .marketing,
            let reason = Self.capReason(cap, sends: marker?.sends ?? [], now: now, owner: "the journey's")
        {
            return reason
        }
        return nil
    }

    /// Why `cap` is reached by `sends` at `now`, with when its oldest counted send leaves the window.
    static func capReason(_ cap: JourneyFrequencyCap, sends: [Date], now: Date, owner: String) -> String? {
        let inside = sends.filter { now.timeIntervalSince($0) < cap.within.interval }.sorted()
        guard inside.count >= cap.count, let oldest = inside.dropLast(cap.count - 1).last else { return nil }
        let frees = oldest.addingTimeInterval(cap.within.interval)
        return "\(owner) frequency cap (\(cap.count) per \(cap.within.text)) is reached; a slot frees at \(formatted(frees))"
    }

    /// Counts a send requested now against the caps it falls under, keeping only the times
    /// inside each window and at most each count (the stored state stays bounded).
    mutating func countSend(_ send: SendStep, step: JourneyStep, journey: Journey) {
        let stepCap = send.frequencyCap
        let journeyCap = send.category == .marketing ? journey.defaults.frequencyCap : nil
        guard stepCap != nil || journeyCap != nil else { return }
        var marker = state.markers[journey.id] ?? JourneyMarker()
        func kept(_ list: [Date], _ cap: JourneyFrequencyCap) -> [Date] {
            Array((list.filter { now.timeIntervalSince($0) < cap.within.interval } + [LocalCalendar.millis(now)]).suffix(cap.count))
        }
        if let cap = stepCap {
            var bySteps = marker.stepSends ?? [:]
            bySteps[step.id] = kept(bySteps[step.id] ?? [], cap)
            marker.stepSends = bySteps
        }
        if let cap = journeyCap { marker.sends = kept(marker.sends ?? [], cap) }
        state.markers[journey.id] = marker
    }
}
