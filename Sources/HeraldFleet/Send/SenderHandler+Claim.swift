import Foundation
import HeraldCore
import HeraldDelivery

extension SenderHandler {
    /// Claims the idempotency key of every job still to be sent, then a cap slot for each claimed
    /// one (a duplicate must not take a slot). A capped job gives its claim back.
    func claim(_ jobs: inout [Job], store: any SenderStore, now: Date) async throws {
        let idempotency = configuration.idempotency
        let consumer = configuration.consumer
        // A key twice in one batch (a redelivered request next to its original) would find this
        // consumer's own claim and go out twice: the later copy waits for its redelivery, which
        // then finds the key sent and records `duplicate`.
        var keysInBatch: Set<String> = []
        for index in jobs.indices where !keysInBatch.insert(jobs[index].request.idempotencyKey).inserted {
            jobs[index].outcome = .busy(holder: consumer, until: now.addingTimeInterval(idempotency.lease))
        }
        let remembered = recentlySent.withLock { recent in
            jobs.indices.compactMap { index in recent.providerMessageId(for: jobs[index].request.idempotencyKey).map { (index, $0) } }
        }
        for (index, providerMessageId) in remembered where jobs[index].isOpen {
            jobs[index].outcome = .duplicate(providerMessageId, restoreMarker: true)
        }
        let candidates = jobs.indices.filter { jobs[$0].isOpen }
        if candidates.isEmpty { return }
        let decisions = try Self.answers(try await store.claim(candidates.map { index in
            let request = jobs[index].request
            return SenderClaim(partition: jobs[index].partition, idempotencyKey: request.idempotencyKey, attempt: request.attempt, category: request.category)
        }, consumer: consumer, policy: idempotency, now: now), asked: candidates.count, phase: "idempotency claim")
        for (index, decision) in zip(candidates, decisions) { apply(decision, to: &jobs[index]) }
        try await claimCapSlots(&jobs, store: store, now: now)
    }

    /// Sets the job's outcome for a claim decision that does not send (and logs the ones that do
    /// after an abandoned claim).
    private func apply(_ decision: IdempotencyClaimDecision, to job: inout Job) {
        switch decision {
        case .claimed:
            break
        case .takenOver(let previous):
            logger.warning("resending a message whose earlier claim was abandoned (policy resend)", Self.logFields(job.request, ["previous": .string(previous)]))
            metrics.increment(.sendsUncertain, ["channel": configuration.channel.rawValue, "policy": "resend"])
        case .parked(let previous):
            logger.warning("parking a message whose earlier claim was abandoned (policy park): status unknown", Self.logFields(job.request, ["previous": .string(previous)]))
            metrics.increment(.sendsUncertain, ["channel": configuration.channel.rawValue, "policy": "park"])
            job.outcome = .unknown(previousConsumer: previous, parkedNow: true)
        case .unknown(let previous):
            job.outcome = .unknown(previousConsumer: previous, parkedNow: false)
        case .alreadySent(let providerMessageId):
            job.outcome = .duplicate(providerMessageId, restoreMarker: false)
        case .busy(let holder, let until):
            job.outcome = .busy(holder: holder, until: until)
        case .unreadable(let value):
            logger.error("idempotency marker is unreadable; not sending", Self.logFields(job.request, ["value": .string(String(value.prefix(200)))]))
            job.outcome = .refused("idempotency marker holds an unreadable value '\(value.prefix(200))'")
        }
    }

    /// Takes a cap slot for every claimed marketing job; a capped one gives its claim back.
    private func claimCapSlots(_ jobs: inout [Job], store: any SenderStore, now: Date) async throws {
        let caps = configuration.policy.frequencyCaps
        let capped = jobs.indices.filter { jobs[$0].isOpen && jobs[$0].request.category == .marketing && !caps.caps(for: jobs[$0].request.channel).isEmpty }
        if capped.isEmpty { return }
        let decisions = try Self.answers(try await store.takeCapSlots(capped.map { index in
            let request = jobs[index].request
            return SenderCapSlot(partition: jobs[index].partition, userId: request.userId, channel: request.channel, category: request.category, member: request.idempotencyKey)
        }, caps: caps, now: now), asked: capped.count, phase: "cap slots")
        for (index, decision) in zip(capped, decisions) {
            guard case .capped(let until, let cap) = decision else { continue }
            switch configuration.policy.decision(for: .capped(until: until, cap: cap)) {
            case .suppress(let reason): jobs[index].outcome = .suppressed(reason.rawValue)
            default: jobs[index].outcome = .deferred(until: until, reason: "frequency cap \(cap)")
            }
            // Give the claim back so the later attempt (or nobody, when dropped) is not blocked.
            jobs[index].givesClaimBack = true
        }
    }
}
