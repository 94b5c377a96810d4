import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// The phases of `handle(_:store:)` after parsing: skip the inputs applied before, load the users,
/// evaluate each input into its write, apply the writes, and settle the outcomes.
extension EvaluatorHandler {
    /// An input applied before (a redelivery after a crash or a lease handover) is acknowledged
    /// without evaluating it again: the stored state already holds its effects. A handover applied
    /// before may not have reached its target yet (a crash in between): its snapshot is delivered
    /// again after this batch's writes (delivery is idempotent). Returns the inputs still to evaluate.
    func skipApplied(
        _ inputs: [(Int, Input)], store: some EvaluatorStore
    ) async throws -> (inputs: [(Int, Input)], pendingHandovers: [EvaluatorPendingHandover]) {
        var byPartition: [Int: [String]] = [:]
        for (_, input) in inputs { byPartition[input.partition, default: []].append(input.entry.id) }
        let alreadyApplied = try await store.appliedInputs(byPartition)
        if alreadyApplied.isEmpty { return (inputs, []) }
        var pending: [EvaluatorPendingHandover] = []
        for (_, input) in inputs where alreadyApplied.contains(input.entry.id) {
            if case .handover(_, let mergeId) = input.kind { pending.append(EvaluatorPendingHandover(partition: input.partition, mergeId: mergeId)) }
        }
        metrics.increment(.evaluationsSkipped, by: Double(alreadyApplied.count))
        return (inputs.filter { !alreadyApplied.contains($0.1.entry.id) }, pending)
    }

    /// Plans each event's feedback. Done after the redelivery check, so a refused or invalid
    /// feedback event is logged and counted once, not again on each redelivery.
    func planFeedback(_ inputs: inout [(Int, Input)]) {
        for index in inputs.indices {
            guard case .event(let event, let fromHerald) = inputs[index].1.kind else { continue }
            inputs[index].1.feedback = feedback.plan(for: event, fromHerald: fromHerald, user: inputs[index].1.user)
        }
    }

    /// Loads every user's state, profile, list memberships and tombstone once for the batch, and
    /// the suppression records that the batch's feedback, erasures and merges change.
    func load(_ inputs: [(Int, Input)], store: some EvaluatorStore) async throws -> EvaluatorBatchUsers {
        var partitions: [String: Int] = [:]
        for (_, input) in inputs { partitions[input.user] = input.partition }
        let snapshots = try await store.load(partitions)
        var users = EvaluatorBatchUsers()
        for (user, partition) in partitions {
            // A user the store did not answer for stays unloaded: their inputs are retried.
            guard let snapshot = snapshots[user] else { continue }
            switch Self.state(snapshot.state, user: user, partition: partition) {
            case .success(let state): users.states[user] = state
            case .failure(let error): users.unreadable[user] = error
            }
            if let target = snapshot.mergedInto { users.mergedInto[user] = (target, nil) }
            if let problem = snapshot.profileProblem, users.unreadable[user] == nil {
                users.unreadable[user] = .unreadableProfile(user: user, partition: partition, reason: problem)
            }
            users.profiles[user] = snapshot.profile
            // Without its memberships an input could join a list twice or miss an inList: not evaluated.
            if let problem = snapshot.membershipsProblem, users.unreadable[user] == nil {
                users.unreadable[user] = .unreadableProfile(user: user, partition: partition, reason: "list memberships: \(problem)")
            }
            users.memberships[user] = snapshot.memberships
        }
        // Feedback that changes suppression records (docs/delivery.md): load the ones it touches.
        var suppressionUsers: [String: Int] = [:]
        for (_, input) in inputs where !(input.feedback?.suppressionUpdates.isEmpty ?? true) || input.isErasure || input.isMerge {
            suppressionUsers[input.user] = input.partition
        }
        users.suppressions = try await store.suppressions(suppressionUsers)
        return users
    }

    /// A user's stored journey state: none yet is the empty state; anything else must decode.
    static func state(_ stored: EvaluatorStoredState, user: String, partition: Int) -> Result<UserJourneyState, EvaluatorInputError> {
        switch stored {
        case .none:
            return .success(UserJourneyState(userId: user))
        case .encoded(let bytes):
            do {
                return .success(try UserJourneyState(decoding: bytes, userId: user))
            } catch {
                return .failure(.unreadableState(user: user, partition: partition, reason: error.description))
            }
        case .unreadable(let reason):
            return .failure(.unreadableState(user: user, partition: partition, reason: reason))
        }
    }

    /// Applies the plan's writes (what survives an erasure first), then records the erasures,
    /// delivers the handovers, forwards merged identities' inputs and settles each write's outcome.
    func apply(
        _ plan: EvaluatorBatchPlan, pendingHandovers: [EvaluatorPendingHandover], inputs: [(Int, Input)], store: some EvaluatorStore,
        outcomes: inout [EntryOutcome]
    ) async throws {
        // What survives an erasure is stored before anything is erased, and the fleet-wide streams are
        // swept before the partition's script runs: a crash in between redelivers the request, which
        // does both again, while after the script the request entry itself is gone.
        let swept = plan.erasures.isEmpty ? [] : try await store.prepareErasures(plan.erasures.map(\.erasure))
        let results = plan.writes.isEmpty ? [] : try await store.apply(plan.writes, wakeScheduler: plan.wakeScheduler)
        guard results.count == plan.writes.count else {
            throw RedisServerError(command: "apply", message: "\(results.count) results for \(plan.writes.count) writes")
        }
        try await recordErasures(plan, swept: swept, results: results, store: store)
        // Each handover taken (or found taken) goes to its target's partition before any input
        // forwarded after it, so the target folds the snapshot first.
        var pending = pendingHandovers
        for handover in plan.handovers {
            switch results[handover.write] {
            case .applied, .skipped: pending.append(handover.pending)
            case .erased, .failed, .nothingToWrite, .unrecognized: break
            }
        }
        try await store.deliverHandovers(pending)
        try await forward(plan.forwards, results: results, store: store, outcomes: &outcomes)
        for (write, result) in results.enumerated() {
            guard case .failed(let message) = result else { continue }
            let position = plan.position(of: write)
            outcomes[position] = .retry(reason: message)
            if message.hasPrefix("FENCED") {
                metrics.increment(.evaluationsFenced)
                // The partition's lease moved to another evaluator mid-batch: nothing of this
                // input was written; the new owner evaluates it from the same state.
                let input = inputs.first { $0.0 == position }?.1
                logger.warning("write fenced: the partition lease moved; not applied here", [
                    "partition": .number(Double(input?.partition ?? -1)), "user": .string(input?.user ?? ""),
                    "stream": .string(input?.entry.stream.rawValue ?? ""), "id": .string(input?.entry.id ?? ""), "error": .string(message),
                ])
            } else {
                logger.warning("applying an input failed; it will be retried", ["error": .string(message)])
            }
        }
        // Feedback status records go to the delivery-record shards only for inputs whose write
        // applied now (a redelivered input is skipped), so each is written once.
        let applied = plan.statusRecords.keys.sorted().filter { results[$0] == .applied }.compactMap { plan.statusRecords[$0] }
        if !applied.isEmpty { try await store.appendStatusRecords(applied) }
    }

    /// Records each erasure that applied now (a skipped one was recorded when it was applied).
    private func recordErasures(_ plan: EvaluatorBatchPlan, swept: [Int?], results: [EvaluatorWriteResult], store: some EvaluatorStore) async throws {
        for (offset, item) in plan.erasures.enumerated() {
            guard case .erased(var erased) = results[item.write] else { continue }
            if offset < swept.count, let count = swept[offset], count > 0 { erased["streamEntries"] = count }
            try await store.recordErasure(EvaluatorErasureRecord(
                user: item.erasure.user, requestedBy: item.requestedBy, request: item.request, erased: erased, at: Date()))
            metrics.increment(.usersErased, ["cause": item.erasure.inactiveSince == nil ? "request" : "inactivity"])
            logger.info("user erased", [
                "partition": .number(Double(item.erasure.partition)), "request": .string(item.request),
                "erased": .string(erased.keys.sorted().joined(separator: ",")),
            ])
        }
    }

    /// Writes the forwarded inputs of merged identities to their targets' partitions. An input
    /// whose handover in this batch was not applied is retried with it; a forward the store
    /// refuses is retried (the target's dedupe set drops a repeat).
    private func forward(
        _ forwards: [(position: Int, forward: EvaluatorForward?, after: Int?)], results: [EvaluatorWriteResult], store: some EvaluatorStore,
        outcomes: inout [EntryOutcome]
    ) async throws {
        var writes: [EvaluatorForward] = []
        var positions: [Int] = []
        for item in forwards {
            if let after = item.after, case .failed(let message) = results[after] {
                outcomes[item.position] = .retry(reason: "the handover before it was not applied: \(message)")
                continue
            }
            guard let forward = item.forward else { continue }
            writes.append(forward)
            positions.append(item.position)
        }
        if writes.isEmpty { return }
        for (position, refusal) in zip(positions, try await store.forward(writes, now: Date())) {
            if let refusal { outcomes[position] = .retry(reason: refusal) }
        }
    }

    /// The published journeys, reloaded when their revision moved (checked at most every
    /// `refreshInterval`, unless `force`).
    func currentCatalog(_ store: some EvaluatorStore, force: Bool = false) async throws -> JourneyCatalog {
        let snapshot = catalog.withLock { $0 }
        if !force, let checkedAt = snapshot.checkedAt, ContinuousClock.now - checkedAt < refreshInterval { return snapshot.catalog }
        let revision = try await store.catalogRevision()
        if revision == snapshot.revision {
            catalog.withLock { $0.checkedAt = ContinuousClock.now }
            return snapshot.catalog
        }
        let fresh = try await store.loadCatalog()
        catalog.withLock { $0 = (revision, fresh, ContinuousClock.now) }
        logger.info("journeys loaded", ["revision": .number(Double(revision)), "journeys": .array(fresh.ids.map { .string($0) })])
        return fresh
    }

    /// The trail record of a provider's report on send `key` (`<instance>/<channel>/<n>`, the
    /// instance `<journey>-<hash>`): `delivered`, or `reported` with the status and reason.
    static func feedbackRecord(status: DeliveryStatus, key: String, reason: String?) -> TrailRecord {
        let instance = String(key.prefix { $0 != "/" })
        let journey = instance.lastIndex(of: "-").map { String(instance[..<$0]) } ?? ""
        return status == .delivered
            ? TrailRecord.outcome("delivered", journey: journey, version: 0, instanceId: instance, step: nil, key: key)
            : TrailRecord.outcome("reported", journey: journey, version: 0, instanceId: instance, step: nil, key: key, details: [status.rawValue, reason ?? ""])
    }
}
