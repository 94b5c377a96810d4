import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// The evaluate phase: each input, in stream order, decided by the pure `JourneyEngine` against
/// what the batch knows of its user, and turned into its write.
extension EvaluatorHandler {
    /// Decides one input: adds its write (or forward) to `plan`, fenced by its partition's value in
    /// `leases`, and updates `users` as the write will, so the user's later inputs in the batch
    /// start from it. Returns the input's outcome when it is not `.done` (refused, or retried).
    func evaluate(
        _ input: Input, leases: [Int: String], now: Date, catalog: JourneyCatalog, users: inout EvaluatorBatchUsers, plan: inout EvaluatorBatchPlan, position: Int,
        store: some EvaluatorStore
    ) async throws -> EntryOutcome? {
        guard let leaseValue = leases[input.partition] else {
            return .retry(reason: "partition \(input.partition) is not leased by this evaluator")
        }
        if let merged = users.mergedInto[input.user] {
            // Merged into another user: the input belongs to them now (docs/journeys.md, "Identity merge").
            let forward = forwarded(input.kind, to: merged.target)
            plan.forwards.append((position, forward, merged.handoverWrite))
            metrics.increment(.identityForwarded, ["outcome": forward == nil ? "dropped" : "forwarded"])
            if case .handover(let into, _) = input.kind, into != merged.target {
                logger.warning("identity already merged into another user; not merged again", [
                    "partition": .number(Double(input.partition)), "user": .string(input.user), "mergedInto": .string(merged.target), "asked": .string(into),
                ])
            }
            return nil
        }
        if input.isErasure, case .event(let event, _) = input.kind {
            return erase(input, event: event, leaseValue: leaseValue, users: &users, plan: &plan, position: position)
        }
        if let error = users.unreadable[input.user] { return refuse(error) }
        guard let before = users.states[input.user] else {
            return .retry(reason: "journey state of user '\(input.user)' was not loaded")
        }
        if case .handover(let into, let mergeId) = input.kind {
            let handover = EvaluatorHandover(
                partition: input.partition, user: input.user, into: into, mergeId: mergeId, state: before, entryID: input.entry.id,
                leaseValue: leaseValue, now: now)
            let write = plan.add(.handover(handover), position: position)
            plan.handovers.append((write, EvaluatorPendingHandover(partition: input.partition, mergeId: mergeId)))
            // Later inputs of this batch for the user follow it, as they will once it is applied.
            users.mergedInto[input.user] = (into, write)
            users.states[input.user] = UserJourneyState(userId: input.user)
            users.profiles[input.user] = [:]
            metrics.increment(.evaluations, ["input": input.kind.label])
            return nil
        }
        var profile = users.profiles[input.user] ?? [:]
        var lists = users.memberships[input.user] ?? []
        var evaluation: JourneyEvaluation
        var engineInput: JourneyInput?
        var fold: EvaluatorEffectSet.Fold?
        switch input.kind {
        case .merge(let snapshot):
            let source: UserJourneyState
            do {
                source = try UserJourneyState(decoding: snapshot.state ?? [], userId: snapshot.from)
            } catch {
                return refuse(.unreadableState(user: snapshot.from, partition: input.partition, reason: "in the handover to \(input.user): \(error.description)"))
            }
            if !before.merges.contains(snapshot.mergeId) {
                guard case .record(let record)? = users.suppressions[input.user] else {
                    return refuse(.unreadableSuppression(user: input.user, partition: input.partition, event: "merge", reason: "needed to add the merged identity's suppressions"))
                }
                let suppression: SuppressionRecord
                do {
                    suppression = try Self.mergedSuppressions(record, snapshot)
                } catch {
                    return refuse(.unreadableSuppression(user: snapshot.from, partition: input.partition, event: "merge", reason: "the handed-over record: \(error)"))
                }
                profile = Self.mergedProfile(profile, snapshot)
                fold = EvaluatorEffectSet.Fold(snapshot: snapshot, suppression: suppression)
            }
            evaluation = JourneyEngine.merge(before, absorbing: source, mergeId: snapshot.mergeId, profile: profile, now: now, catalog: catalog)
        case .event, .timer, .refresh, .handover:
            let decided: JourneyInput
            switch input.kind {
            case .event(let event, _): decided = .event(event, profile: profile)
            case .timer(let timer): decided = .timer(timer, profile: profile)
            default: decided = .refresh(userId: input.user, profile: profile)
            }
            engineInput = decided
            evaluation = JourneyEngine.evaluate(before, input: decided, now: now, catalog: catalog, lists: lists)
        }
        if !evaluation.slotRequests.isEmpty {
            // Throttled entries: reserve their slots fleet-wide first, then decide with them.
            guard let engineInput else {
                return .retry(reason: "a merge for user '\(input.user)' asked for entry-throttle slots")
            }
            let slots = try await store.reserveEntrySlots(evaluation.slotRequests, now: now)
            evaluation = JourneyEngine.evaluate(before, input: engineInput, now: now, catalog: catalog, lists: lists, entrySlots: slots)
            guard evaluation.slotRequests.isEmpty else {
                return .retry(reason: "the entry throttle's slots did not settle for user '\(input.user)'")
            }
        }
        var set = EvaluatorEffectSet(partition: input.partition, user: input.user, entryID: input.entry.id, leaseValue: leaseValue, now: now, fold: fold)
        if evaluation.state != before { set.state = evaluation.state.isEmpty ? .delete : .store(evaluation.state) }
        var wakes = false
        for effect in evaluation.effects {
            switch effect {
            case .trail(let entry):
                set.trail.append(TrailRecord(entry))
                continue
            case .send(let request):
                metrics.increment(.sendsRequested, ["channel": request.channel.rawValue])
            case .scheduleTimer(let timer):
                if timer.dueAt.timeIntervalSince(now) < TimerScheduler.wakeHorizon { wakes = true }
            case .updateProfile(let update):
                // Later inputs of this batch see the action steps' profile and list changes, as they will once applied.
                profile = update.applied(to: profile)
            case .updateLists(let update):
                lists = update.applied(to: lists)
            case .cancelTimer, .stat, .groupStat:
                break
            }
            set.effects.append(effect)
        }
        if let merged = fold?.suppression { users.suppressions[input.user] = .record(merged) }
        var statusRecord: EvaluatorStatusRecord?
        if let plan = input.feedback, case .event(let event, _) = input.kind {
            do {
                let applied = try applyFeedback(plan, of: event, input: input, users: &users, profile: &profile, now: now)
                set.feedback = applied.writes
                statusRecord = applied.record
            } catch {
                // Nothing of this input is applied, its journey effects included, so a replay
                // after the repair evaluates it from the same state.
                return refuse(error)
            }
            // What the provider reported about a send goes next to its outcome in the trail.
            if let status = plan.status, let key = plan.messageId, !key.isEmpty {
                set.trail.append(Self.feedbackRecord(status: status, key: key, reason: plan.reason))
            }
        }
        users.states[input.user] = evaluation.state
        users.profiles[input.user] = profile
        users.memberships[input.user] = lists
        if wakes { plan.wakeScheduler = true }
        metrics.increment(.evaluations, ["input": input.kind.label])
        let write = plan.add(.effects(set), position: position)
        if let statusRecord { plan.statusRecords[write] = statusRecord }
        return nil
    }

    /// An erasure: applied whatever the stored data holds (unreadable state included), but never
    /// without keeping the user's suppressions, so an unreadable record refuses it.
    private func erase(
        _ input: Input, event: Event, leaseValue: String, users: inout EvaluatorBatchUsers, plan: inout EvaluatorBatchPlan, position: Int
    ) -> EntryOutcome? {
        guard case .record(let record)? = users.suppressions[input.user] else {
            return refuse(.unreadableSuppression(
                user: input.user, partition: input.partition, event: UserErasure.eventName, reason: "needed to keep the user's suppressions through an erasure"))
        }
        // An inactive user's erasure (`InactivitySweep`) holds only while they stay inactive.
        let inactiveSince = event.properties["inactiveSince"]?.numberValue.map { Date(timeIntervalSince1970: $0 / 1000).unixMilliseconds }
        let erasure = EvaluatorErasure(
            partition: input.partition, user: input.user, entryID: input.entry.id, leaseValue: leaseValue, inactiveSince: inactiveSince,
            lists: (users.memberships[input.user] ?? []).sorted(), suppressions: record, profile: users.profiles[input.user] ?? [:])
        let write = plan.add(.erasure(erasure), position: position)
        plan.erasures.append((write, erasure, event.properties["requestedBy"]?.stringValue ?? "event \(event.messageId)", event.messageId))
        // Later inputs of this batch start from nothing, as they will once this is applied.
        users.states[input.user] = UserJourneyState(userId: input.user)
        users.profiles[input.user] = [:]
        users.memberships[input.user] = []
        users.suppressions[input.user] = .record(SuppressionRecord())
        users.unreadable[input.user] = nil
        metrics.increment(.evaluations, ["input": "erasure"])
        return nil
    }

    /// Feedback's writes for one event (`FeedbackWriter.apply` decides them), updating the batch's
    /// suppression record and profile so later inputs see them. Throws, having changed nothing,
    /// when the feedback changes an unreadable suppression record.
    private func applyFeedback(
        _ plan: DeliveryFeedback, of event: Event, input: Input, users: inout EvaluatorBatchUsers, profile: inout [String: JSONValue], now: Date
    ) throws(EvaluatorInputError) -> (writes: EvaluatorEffectSet.FeedbackWrites, record: EvaluatorStatusRecord?) {
        let stored = users.suppressions[input.user]
        var suppression: FeedbackWriter.Loaded? = stored.map {
            switch $0 {
            case .record(let record): return .record(record)
            case .unreadable(let reason): return .unreadable(reason)
            }
        }
        let profileBefore = profile
        // The writer's own operations are not used: the store writes the decided effects itself.
        var unused = AtomicOperations()
        let record = try feedback.apply(
            plan, of: event, partition: input.partition, user: input.user, suppression: &suppression, profile: &profile, now: now, to: &unused)
        var writes = EvaluatorEffectSet.FeedbackWrites()
        if case .record(let updated)? = suppression {
            if !plan.suppressionUpdates.isEmpty, case .record(let before)? = stored, updated != before { writes.suppression = updated }
            users.suppressions[input.user] = .record(updated)
        }
        if let token = plan.removedPushToken, let kept = DeliveryFeedback.pushTokens(profileBefore["pushTokens"], removing: token) {
            writes.pushTokens = kept
        }
        if let status = plan.status, let channel = plan.channel { writes.status = (channel, status) }
        return (writes, record.map(EvaluatorStatusRecord.init))
    }
}
