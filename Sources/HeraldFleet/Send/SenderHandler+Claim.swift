import Foundation
import HeraldCore
import HeraldDelivery

extension SenderHandler {
    /// Claims the idempotency key of every job still to be sent, then a cap slot for each claimed
    /// one (a duplicate must not take a slot). Returns the claims to give back (capped jobs).
    func claim(_ jobs: inout [Job], connection: RedisConnection, now: Date) async throws -> [RedisCommand] {
        let keyspace = configuration.keyspace
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
        for (index, providerMessageId) in remembered where jobs[index].outcome == nil {
            jobs[index].outcome = .duplicate(providerMessageId, restoreMarker: true)
        }
        let candidates = jobs.indices.filter { jobs[$0].outcome == nil }
        // The common case needs no script: SET NX GET claims a free key, or returns what holds it.
        let claimReplies = try await connection.pipeline(candidates.map { index in
            let request = jobs[index].request
            return RedisCommand("SET", [
                keyspace.idempotency(jobs[index].partition, key: request.idempotencyKey),
                IdempotencyMarker.claimed(at: now, attempt: request.attempt, consumer: consumer).encoded,
                "NX", "PX", Int64((idempotency.lease * 2 * 1000).rounded()), "GET",
            ])
        })
        var contested: [Int] = []
        for (index, reply) in zip(candidates, claimReplies) {
            if case .error(let message) = reply { throw RedisServerError(command: "idempotency claim", message: message) }
            guard let existing = reply.string else { continue }  // nil: the key was free and is ours
            let decision = idempotency.decideClaim(existing: existing, consumer: consumer, category: jobs[index].request.category, now: now)
            switch decision {
            case .claimed, .takenOver, .parked: contested.append(index)  // decided again, atomically, by the script
            default: apply(decision, to: &jobs[index])
            }
        }
        // This consumer's own earlier claim, or an abandoned one: decide atomically with the script.
        let scripted = try await connection.pipeline(contested.map { index in
            let request = jobs[index].request
            return HeraldScripts.idempotencyClaim.command(
                keys: [keyspace.idempotency(jobs[index].partition, key: request.idempotencyKey)],
                arguments: idempotency.claimArguments(consumer: consumer, attempt: request.attempt, category: request.category, now: now))
        })
        for (index, reply) in zip(contested, scripted) {
            if case .error(let message) = reply { throw RedisServerError(command: "idempotency claim", message: message) }
            guard let decision = IdempotencyClaimDecision(reply: (reply.array ?? []).compactMap(\.string)) else {
                throw RedisServerError(command: "idempotency claim", message: "unexpected reply \(reply)")
            }
            apply(decision, to: &jobs[index])
        }
        return try await claimCapSlots(&jobs, connection: connection, now: now)
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
    private func claimCapSlots(_ jobs: inout [Job], connection: RedisConnection, now: Date) async throws -> [RedisCommand] {
        var capped: [Int] = []
        var capCommands: [RedisCommand] = []
        for index in jobs.indices where jobs[index].outcome == nil {
            let request = jobs[index].request
            guard let arguments = configuration.policy.frequencyCaps.scriptArguments(
                channel: request.channel, category: request.category, member: request.idempotencyKey, now: now)
            else { continue }
            capped.append(index)
            capCommands.append(HeraldScripts.frequencyCapCheck.command(
                keys: [configuration.keyspace.capWindow(jobs[index].partition, user: request.userId, channel: request.channel)], arguments: arguments))
        }
        var releases: [RedisCommand] = []
        for (index, reply) in zip(capped, try await connection.pipeline(capCommands)) {
            if case .error(let message) = reply { throw RedisServerError(command: "frequency cap", message: message) }
            let values = (reply.array ?? []).compactMap(\.int)
            guard case .capped(let until, let cap)? = configuration.policy.frequencyCaps.scriptDecision(channel: jobs[index].request.channel, reply: values) else {
                jobs[index].holdsCapSlot = true
                continue
            }
            switch configuration.policy.decision(for: .capped(until: until, cap: cap)) {
            case .suppress(let reason): jobs[index].outcome = .suppressed(reason.rawValue)
            default: jobs[index].outcome = .deferred(until: until, reason: "frequency cap \(cap)")
            }
            // Give the claim back so the later attempt (or nobody, when dropped) is not blocked.
            releases.append(releaseClaim(jobs[index]))
        }
        return releases
    }

    /// Gives the job's claim back (only if this consumer still holds it).
    func releaseClaim(_ job: Job) -> RedisCommand {
        HeraldScripts.idempotencyRelease.command(
            keys: [configuration.keyspace.idempotency(job.partition, key: job.request.idempotencyKey)],
            arguments: [configuration.consumer])
    }
}
