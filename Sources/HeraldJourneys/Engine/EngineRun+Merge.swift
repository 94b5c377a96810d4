import Foundation
import HeraldCore

extension EngineRun {
    /// `JourneyEngine.merge`'s rules, applied to `state` (the target).
    mutating func absorb(_ source: UserJourneyState, mergeId: String) {
        state.merges.append(mergeId)
        if state.merges.count > UserJourneyState.maximumMerges { state.merges.removeFirst(state.merges.count - UserJourneyState.maximumMerges) }
        trail("", 0, .identityMerged(from: source.userId), "Merged identity \(source.userId) into \(userId)")
        for incoming in source.instances.sorted(by: { $0.enteredAt < $1.enteredAt }) where index(of: incoming.id) == nil {
            adopt(incoming, from: source.userId)
        }
        for watch in source.watches where !state.watches.contains(where: { $0.instanceId == watch.instanceId }) {
            state.watches.append(watch)
        }
        state.watches.sort { $0.until < $1.until }
        for (id, theirs) in source.markers {
            var marker = state.markers[id] ?? JourneyMarker()
            marker.enteredAt = Self.later(marker.enteredAt, theirs.enteredAt)
            marker.exitedAt = Self.later(marker.exitedAt, theirs.exitedAt)
            if theirs.momentDone == true { marker.momentDone = true }
            state.markers[id] = marker
        }
        for (id, theirs) in source.counters {
            state.counters[id] = combined(state.counters[id] ?? TriggerCounter(), theirs, journey: catalog.journey(id: id))
        }
        for (id, due) in source.timers.sorted(by: { $0.key < $1.key }) {
            guard let journey = catalog.journey(id: id) else { continue }
            let kind: JourneyTimerKind = journey.trigger.inactivity != nil ? .inactivity : .date
            if let mine = state.timers[id], kind == .date || mine >= due { continue }
            state.timers[id] = due
            effects.append(.scheduleTimer(JourneyTimer(
                id: JourneyTimer.triggerTimerId(user: userId, journey: id, kind: kind), userId: userId, journey: id, version: journey.version,
                kind: kind, dueAt: due)))
        }
    }

    /// One live instance of the source: kept (its wait re-keyed to this user) or finished `merged`.
    private mutating func adopt(_ incoming: JourneyInstance, from source: String) {
        var instance = incoming
        if var waiting = instance.waiting {
            waiting.timerId = JourneyTimer.instanceTimerId(user: userId, journey: instance.journey, instanceId: instance.id, step: waiting.step, kind: waiting.kind)
            instance.waiting = waiting
        }
        state.instances.append(instance)
        trail(instance.journey, instance.version, instance: instance.id, step: instance.step, .identityMerged(from: source), "Continues here from identity \(source)")
        if let journey = catalog.journey(id: instance.journey, version: instance.version) {
            if (journey.entry.reentry ?? .afterExit) != .always,
                let other = state.instances.first(where: { $0.id != instance.id && $0.journey == instance.journey && $0.key == instance.key })
            {
                // The one that entered first keeps running; on a tie, the user's own.
                finishMerged(other.enteredAt <= instance.enteredAt ? instance.id : other.id)
                if index(of: instance.id) == nil { return }
            }
            let live = state.instances.filter { $0.journey == instance.journey }
            if live.count > journey.entry.liveCap || state.instances.count > UserJourneyState.maximumLiveInstances {
                // The newest goes; on a tie, the one that came with the merge.
                let newest = live.max { $0.enteredAt < $1.enteredAt || ($0.enteredAt == $1.enteredAt && $1.id == instance.id) }
                if let newest { finishMerged(newest.id) }
                if index(of: instance.id) == nil { return }
            }
        }
        if let waiting = instance.waiting {
            effects.append(.scheduleTimer(JourneyTimer(
                id: waiting.timerId, userId: userId, journey: instance.journey, version: instance.version, instanceId: instance.id,
                step: waiting.step, kind: waiting.kind, dueAt: waiting.dueAt)))
        }
    }

    /// Ends a live instance with reason `merged` (on its own version; one not in the catalog is
    /// left for `prune`).
    private mutating func finishMerged(_ instanceId: String) {
        guard let index = index(of: instanceId) else { return }
        let instance = state.instances[index]
        guard let journey = catalog.journey(id: instance.journey, version: instance.version) else { return }
        finish(at: index, journey: journey, reason: "merged")
    }

    /// Two identities' trigger bookkeeping for one journey, combined so the merge lets nobody enter.
    private func combined(_ mine: TriggerCounter, _ theirs: TriggerCounter, journey: Journey?) -> TriggerCounter {
        var result = mine
        if mine.recent != nil || theirs.recent != nil {
            let union = Set((mine.recent ?? []) + (theirs.recent ?? [])).sorted()
            let kept = journey?.trigger.behaviour?.frequency.map { max($0.count - 1, 1) } ?? union.count
            result.recent = Array(union.suffix(kept))
        }
        if mine.count != nil || theirs.count != nil {
            let left = mine.count ?? 0
            let right = theirs.count ?? 0
            if let target = journey?.trigger.milestone?.count {
                // Reached on either side: entered once already. Otherwise the person's occurrences
                // add up, short of the milestone, so the next one enters (the merge itself does not).
                result.count = left >= target || right >= target ? target : min(left + right, max(target - 1, 0))
            } else {
                result.count = max(left, right)
            }
        }
        if let value = theirs.lastValue { result.lastValue = max(mine.lastValue ?? value, value) }
        return result
    }

    static func later(_ left: Date?, _ right: Date?) -> Date? {
        guard let left else { return right }
        guard let right else { return left }
        return max(left, right)
    }
}
