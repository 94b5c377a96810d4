import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// The writes, by the rules of `apply-effects.lua`, `forget.lua` and `handover.lua`: fenced by the
/// partition lease, skipped when the input was applied before, recorded as applied once written.
extension InMemoryEvaluatorStore {
    /// The message a fenced write fails with, as the scripts word it.
    public static let fencedMessage = "FENCED partition lease is held by another evaluator"

    /// Applies each write in order.
    public func apply(_ writes: [EvaluatorWrite], wakeScheduler: Bool) async throws -> [EvaluatorWriteResult] {
        state.withLock { contents in
            var wrote = false
            let results = writes.map { write -> EvaluatorWriteResult in
                if case .effects(let set) = write, Self.writesNothing(set) { return .nothingToWrite }
                wrote = true
                return apply(write, to: &contents)
            }
            if wrote {
                contents.applyCalls += 1
                if wakeScheduler { contents.wakeups += 1 }
            }
            return results
        }
    }

    private func apply(_ write: EvaluatorWrite, to contents: inout Contents) -> EvaluatorWriteResult {
        let partition: Int, leaseValue: String
        switch write {
        case .effects(let set): (partition, leaseValue) = (set.partition, set.leaseValue)
        case .erasure(let erasure): (partition, leaseValue) = (erasure.partition, erasure.leaseValue)
        case .handover(let handover): (partition, leaseValue) = (handover.partition, handover.leaseValue)
        }
        if !leaseValue.isEmpty && contents.leases[partition] != leaseValue { return .failed(Self.fencedMessage) }
        if contents.applied[partition]?[write.entryID] != nil { return .skipped("SKIP") }
        let result: EvaluatorWriteResult
        switch write {
        case .effects(let set):
            store(set, in: &contents)
            result = .applied
        case .erasure(let erasure):
            if let since = erasure.inactiveSince, !((contents.activity[erasure.user]).map { $0 <= since } ?? false) { return .skipped("ACTIVE") }
            result = .erased(erase(erasure, in: &contents))
        case .handover(let handover):
            if contents.mergedInto[handover.user] != nil { return .skipped("ALREADY") }
            take(handover, in: &contents)
            result = .applied
        }
        recordApplied(write.entryID, partition: partition, in: &contents)
        return result
    }

    /// Remembers an applied input for the retention's window and capacity, as the scripts do.
    private func recordApplied(_ entryID: String, partition: Int, in contents: inout Contents) {
        let at = Int64(entryID.prefix { $0 != "-" }) ?? 0
        var applied = contents.applied[partition] ?? [:]
        applied[entryID] = at
        applied = applied.filter { $0.value > at - appliedRetention.windowMilliseconds }
        let excess = applied.count - appliedRetention.capacity
        if excess > 0 {
            let oldest = applied.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(excess).map(\.key)
            for id in oldest { applied[id] = nil }
        }
        contents.applied[partition] = applied
    }

    /// Whether an effect set would write nothing (its script is then not called).
    static func writesNothing(_ set: EvaluatorEffectSet) -> Bool {
        guard set.state == nil, set.trail.isEmpty else { return false }
        if let writes = set.feedback, writes.suppression != nil || writes.pushTokens != nil || writes.status != nil { return false }
        if let fold = set.fold {
            let snapshot = fold.snapshot
            if !snapshot.profile.isEmpty || (fold.suppression != nil && snapshot.suppression != nil) || snapshot.caps.values.contains(where: { !$0.isEmpty })
                || !snapshot.inbox.isEmpty || snapshot.unread != 0 || !snapshot.trail.isEmpty || snapshot.activity != nil
            {
                return false
            }
        }
        return set.effects.allSatisfy { effect in
            switch effect {
            case .trail: return true
            case .updateProfile(let update): return update.set.isEmpty && update.unset.isEmpty && update.increment.isEmpty
            case .updateLists(let update): return update.isEmpty
            case .send, .scheduleTimer, .cancelTimer, .stat, .groupStat: return false
            }
        }
    }

    private func store(_ set: EvaluatorEffectSet, in contents: inout Contents) {
        let user = set.user
        switch set.state {
        case .store(let state)?: contents.states[user] = .encoded(state.encoded())
        case .delete?: contents.states[user] = nil
        case nil: break
        }
        let milliseconds = set.now.unixMilliseconds
        for effect in set.effects {
            switch effect {
            case .send(let request): contents.sends.append(request)
            case .scheduleTimer(let timer): contents.timers[timer.id] = timer
            case .cancelTimer(let id): contents.timers[id] = nil
            case .trail: break
            case .stat(let journey, let step, let counter, let delta):
                contents.journeyStats[journey, default: [:]]["\(step ?? "_"):\(counter.rawValue)", default: 0] += delta
            case .groupStat(let journey, let group, let counter, let delta):
                contents.experimentStats[journey, default: [:]]["\(group):\(counter.rawValue)", default: 0] += delta
            case .updateProfile(let update):
                contents.profiles[user] = update.applied(to: contents.profiles[user] ?? [:])
            case .updateLists(let update):
                for name in update.add where contents.memberships[user]?[name] == nil {
                    contents.memberships[user, default: [:]][name] = milliseconds
                    contents.listMembers[name, default: [:]][user] = contents.listMembers[name]?[user] ?? milliseconds
                }
                for name in update.remove {
                    contents.memberships[user]?[name] = nil
                    contents.listMembers[name]?[user] = nil
                }
            }
        }
        if let fold = set.fold {
            for (trait, bytes) in fold.snapshot.profile where contents.profiles[user]?[trait] == nil {
                contents.profiles[user, default: [:]][trait] = (try? JSONValue.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
            }
            if let suppression = fold.suppression, fold.snapshot.suppression != nil { contents.suppressions[user] = .record(suppression) }
            if let activity = fold.snapshot.activity { contents.activity[user] = max(contents.activity[user] ?? activity, activity) }
        }
        if let writes = set.feedback {
            if let record = writes.suppression { contents.suppressions[user] = .record(record) }
            if let kept = writes.pushTokens { contents.profiles[user, default: [:]]["pushTokens"] = kept }
            if let counted = writes.status {
                contents.deliveryStats[set.partition, default: [:]]["\(counted.channel.rawValue):\(counted.status.rawValue)", default: 0] += 1
            }
        }
        if !set.trail.isEmpty {
            var trail = contents.trails[user] ?? []
            trail.insert(set.trail, at: 0)
            contents.trails[user] = Array(trail.prefix(trailRetention.maxLength))
        }
    }

    /// Erases the user's keys, timers and pending sends; returns what was erased by family.
    private func erase(_ erasure: EvaluatorErasure, in contents: inout Contents) -> [String: Int] {
        let user = erasure.user
        var erased: [String: Int] = [:]
        func count(_ family: String, _ existed: Bool) { if existed { erased[family, default: 0] += 1 } }
        count("profile", contents.profiles.removeValue(forKey: user) != nil)
        count("state", contents.states.removeValue(forKey: user) != nil)
        count("trail", contents.trails.removeValue(forKey: user) != nil)
        count("suppression", contents.suppressions.removeValue(forKey: user) != nil)
        count("lists", contents.memberships.removeValue(forKey: user) != nil)
        for list in erasure.lists { contents.listMembers[list]?[user] = nil }
        let timers = contents.timers.filter { $0.value.userId == user }.map(\.key)
        for id in timers { contents.timers[id] = nil }
        if !timers.isEmpty { erased["timers"] = timers.count }
        let sends = contents.sends.count
        contents.sends.removeAll { $0.userId == user }
        if sends > contents.sends.count { erased["pendingSends"] = sends - contents.sends.count }
        contents.activity[user] = nil
        contents.unreadableProfiles[user] = nil
        return erased
    }

    /// Snapshots and tombstones the handover's user: state, profile and suppressions go to the
    /// snapshot, the user's timers and trail go.
    private func take(_ handover: EvaluatorHandover, in contents: inout Contents) {
        let user = handover.user
        var snapshot = IdentitySnapshot(from: user, into: handover.into, mergeId: handover.mergeId)
        if case .encoded(let bytes)? = contents.states.removeValue(forKey: user) { snapshot.state = bytes }
        for (trait, value) in contents.profiles.removeValue(forKey: user) ?? [:] { snapshot.profile[trait] = Array(value.serialized().utf8) }
        if case .record(let record)? = contents.suppressions.removeValue(forKey: user) { snapshot.suppression = Array(record.json.serialized().utf8) }
        snapshot.activity = contents.activity.removeValue(forKey: user)
        contents.trails[user] = nil
        for id in contents.timers.filter({ $0.value.userId == user }).map(\.key) { contents.timers[id] = nil }
        contents.mergedInto[user] = handover.into
        contents.handovers[handover.mergeId] = snapshot
    }
}
