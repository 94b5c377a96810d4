import Foundation
import HeraldCore

extension EngineRun {
    /// Enters `journey` (its latest version) with `trigger` as the trigger event, applying the
    /// concurrency key, re-entry policy and live caps; a live instance for the same key is refreshed instead.
    mutating func enter(_ journey: Journey, trigger: JSONValue, source: String) {
        let scope = ConditionScope(event: trigger, profile: profile, lists: lists)
        var key = ""
        if let path = journey.entry.concurrencyKey {
            guard let value = scope.resolve(path), !value.isNull else {
                notEntered(journey, "the trigger has no value at the concurrency key '\(path)'")
                return
            }
            key = value.displayText
        }
        let policy = journey.entry.reentry ?? .afterExit
        if policy != .always, let index = state.instances.firstIndex(where: { $0.journey == journey.id && $0.key == key }) {
            refresh(at: index, with: trigger)
            return
        }
        if let refusal = scheduleRefusal(journey) {
            notEntered(journey, refusal)
            return
        }
        if policy == .never, let entered = state.markers[journey.id]?.enteredAt {
            notEntered(journey, "re-entry is 'never' and the user entered at \(Self.formatted(entered))")
            return
        }
        let live = state.instances.filter { $0.journey == journey.id }.count
        guard live < journey.entry.liveCap else {
            notEntered(journey, "the user already has \(live) live instance(s); the cap is \(journey.entry.liveCap)")
            return
        }
        guard state.instances.count < UserJourneyState.maximumLiveInstances else {
            notEntered(journey, "the user has \(state.instances.count) live instances across journeys (the most kept)")
            return
        }
        guard let first = journey.steps.first else { return }
        let id = journey.id + "-" + StableHash.hex("\(userId)|\(journey.id)|\(journey.version)|\(key)|\(source)")
        guard index(of: id) == nil else { return }
        var instance = JourneyInstance(
            id: id, journey: journey.id, version: journey.version, key: key, step: first.id, enteredAt: now, trigger: trigger)
        for (name, path) in journey.entry.vars ?? [:] {
            if let value = scope.resolve(path) { instance.vars[name] = StoredJSON(value) }
        }
        if let throttle = journey.entry.throttle {
            guard let slot = entrySlots[id] else {
                slotRequests.append(EntrySlotRequest(
                    journey: journey.id, instanceId: id, count: throttle.count, windowMilliseconds: Int64(throttle.window * 1000)))
                return
            }
            if slot > LocalCalendar.millis(now) {
                queue(instance, until: slot, throttle: throttle, journey: journey)
                return
            }
        }
        state.instances.append(instance)
        admit(instanceId: id, journey: journey)
    }

    /// Records the entry of the live instance `instanceId` (just added, or leaving the throttle's
    /// queue) and runs it from the first step.
    mutating func admit(instanceId id: String, journey: Journey) {
        guard let index = index(of: id), let first = journey.steps.first else { return }
        let key = state.instances[index].key
        var marker = state.markers[journey.id] ?? JourneyMarker()
        marker.enteredAt = now
        state.markers[journey.id] = marker
        let keyText = key.isEmpty ? "" : " for key '\(key)'"
        trail(journey.id, journey.version, instance: id, step: first.id, .entered(key: key), "Entered \(journey.name) v\(journey.version)\(keyText)")
        stat(journey.id, first.id, .entered)
        runSteps(instanceId: id, from: first.id, journey: journey)
    }

    mutating func notEntered(_ journey: Journey, _ reason: String) {
        trail(journey.id, journey.version, .notEntered(reason: reason), "Not entered: \(reason)")
        stat(journey.id, nil, .notEntered)
    }

    /// A new trigger for a live instance: refresh its latest event and, within `maxResets`, restart its wait.
    mutating func refresh(at index: Int, with trigger: JSONValue) {
        state.instances[index].latest = StoredJSON(trigger)
        let instance = state.instances[index]
        guard let journey = catalog.journey(id: instance.journey, version: instance.version),
            let waiting = instance.waiting, waiting.kind == .resume,
            instance.resets < (journey.entry.maxResets ?? 0),
            let step = journey.step(waiting.step), let duration = step.wait?.duration
        else { return }
        let due = LocalCalendar.millis(now.addingTimeInterval(duration.interval))
        state.instances[index].resets += 1
        state.instances[index].waiting?.dueAt = due
        effects.append(.scheduleTimer(JourneyTimer(
            id: waiting.timerId, userId: userId, journey: journey.id, version: journey.version, instanceId: instance.id,
            step: step.id, kind: .resume, dueAt: due)))
        let count = instance.resets + 1
        trail(
            journey.id, journey.version, instance: instance.id, step: step.id, .waitReset(count: count),
            "Wait restarted by a new trigger (\(count) of \(journey.entry.maxResets ?? 0)); now until \(Self.formatted(due))")
    }

    /// Ends the instance at `index`: cancels its timer, records the exit and opens a goal watch if the window is open.
    mutating func finish(at index: Int, journey: Journey, reason: String) {
        let instance = state.instances.remove(at: index)
        if let waiting = instance.waiting {
            effects.append(.cancelTimer(id: waiting.timerId))
            stat(journey.id, waiting.step, .waiting, -1)
        }
        var marker = state.markers[journey.id] ?? JourneyMarker()
        marker.exitedAt = now
        state.markers[journey.id] = marker
        if let goal = journey.goal, !instance.converted {
            let until = instance.enteredAt.addingTimeInterval(goal.within.interval)
            if until > now {
                var match: [String: StoredJSON] = [:]
                for path in goal.match ?? [] {
                    if let value = instance.trigger.value.value(atPath: path) { match[path] = StoredJSON(value) }
                }
                state.watches.append(ConversionWatch(
                    instanceId: instance.id, journey: journey.id, version: journey.version, until: until, match: match,
                    lastSend: instance.lastSend, group: Self.group(of: instance)))
            }
        }
        trail(journey.id, journey.version, instance: instance.id, step: instance.step, .exited(reason: reason), "Exited: \(reason)")
        stat(journey.id, instance.step, .exited)
    }
}
