import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

extension SenderHandler {
    /// The writes that record one job's outcome: the idempotency marker, the claim or cap slot
    /// given back, a retry or deferral scheduled, a dead letter, the status counter and the
    /// `herald:deliveries` record. A job waiting on another sender's claim records nothing.
    func record(_ job: Job, now: Date, wakeScheduler: inout Bool) -> [RedisCommand] {
        let keyspace = configuration.keyspace
        let request = job.request
        let channel = request.channel.rawValue
        var commands: [RedisCommand] = []
        var fields: [(String, any RedisArgument)] = [
            ("id", request.idempotencyKey), ("userId", request.userId), ("journey", request.journey), ("step", request.step),
            ("channel", channel), ("template", request.template), ("category", request.category.rawValue),
            ("attempt", request.attempt + 1), ("requestedAt", ISO8601.format(request.requestedAt)), ("at", ISO8601.format(now)),
            ("provider", provider.name),
        ]
        var status: DeliveryStatus
        // The outcome's entry in the user's trail: its code and the details after the send's key.
        var outcome: (code: String, details: [String])
        switch job.outcome {
        case .sent(let receipt, let sentAt)?:
            status = .sent
            fields.append(("providerMessageId", receipt.providerMessageId))
            fields.append(("sentAt", ISO8601.format(sentAt)))
            if let receivedAt = job.message?.eventReceivedAt {
                // From the producer's XADD into the ingest stream to the provider's acceptance.
                fields.append(("latencyMs", String(format: "%.1f", sentAt.timeIntervalSince(receivedAt) * 1000)))
                metrics.observe(.sendLatency, max(0, sentAt.timeIntervalSince(receivedAt)), ["channel": channel])
            }
            for (key, value) in receipt.details.sorted(by: { $0.key < $1.key }) { fields.append(("detail." + key, value)) }
            // It went on the rate-limit slot it was deferred to, without asking the limiter again.
            if let slot = job.reservedSlot { fields.append(("rateLimitSlot", ISO8601.format(slot))) }
            outcome = ("sent", [provider.name, receipt.providerMessageId])
            // No script: the provider accepted, so the key becomes `sent:` whatever it held.
            commands.append(sentMarker(job, providerMessageId: receipt.providerMessageId))
        case .suppressed(let reason)?:
            status = .suppressed
            fields.append(("reason", reason))
            metrics.increment(.suppressions, ["channel": channel, "reason": reason])
            logger.info("not sent: suppressed", Self.logFields(request, ["reason": .string(reason)]))
            outcome = ("suppressed", [reason])
        case .deferred(let until, let reason)?:
            status = .deferred
            fields += [("reason", reason), ("until", ISO8601.format(until))]
            outcome = ("deferred", [TrailRecord.seconds(until), reason])
            if let zone = job.zone, let held = job.quietUntil {
                outcome = ("quietHoursHeld", [TrailRecord.seconds(held), zone.name, zone.reason])
            }
            commands += schedule(request, at: until, partition: job.partition)
            if until.timeIntervalSince(now) < TimerScheduler.wakeHorizon { wakeScheduler = true }
        case .rateLimited(let slot)?:
            status = .deferred
            fields += [("reason", "rate limit \(configuration.rateLimit.map { "\($0.key)" } ?? "")"), ("until", ISO8601.format(slot))]
            outcome = ("deferred", [TrailRecord.seconds(slot), "rate limit"])
            // The slot travels with the request, so it is used when the request comes back.
            var reserved = request
            reserved.context[ChannelRateLimit.slotContextKey] = .number(Double(Int64((slot.timeIntervalSince1970 * 1000).rounded())))
            commands += schedule(reserved, at: slot, partition: job.partition)
            if slot.timeIntervalSince(now) < TimerScheduler.wakeHorizon { wakeScheduler = true }
        case .duplicate(let providerMessageId, let restoreMarker)?:
            status = .duplicate
            fields += [("reason", "already sent; not sent again"), ("providerMessageId", providerMessageId)]
            outcome = ("sent", [provider.name, providerMessageId, "duplicate"])
            if restoreMarker { commands.append(sentMarker(job, providerMessageId: providerMessageId)) }
        case .busy?, nil:
            return []
        case .unknown(let previous, let parkedNow)?:
            guard parkedNow else {
                metrics.increment(.sendsUnknownRedelivered, ["channel": channel])
                return []
            }
            status = .unknown
            let reason = "claimed by \(previous), which stopped before recording an outcome; parked, not sent again (replay: heraldctl deliveries replay \(request.idempotencyKey))"
            fields += [("reason", reason), ("previousConsumer", previous), ("request", request.json.serialized())]
            outcome = ("unknown", [previous])
        case .refused(let reason)?:
            status = .failed
            fields.append(("reason", reason))
            metrics.increment(.deadLetters, ["service": logger.service, "reason": "refused"])
            logger.error("not sent: refused and dead-lettered", Self.logFields(request, ["reason": .string(reason)]))
            outcome = ("failed", [status.rawValue, reason, ""])
            commands.append(deadLetter(job, reason: reason))
            commands += releaseCapSlot(job)
        case .templateError(let reason)?:
            status = .failed
            fields.append(("reason", "template error: \(reason)"))
            metrics.increment(.deadLetters, ["service": logger.service, "reason": "template_error"])
            logger.error("not sent: template error; dead-lettered", Self.logFields(request, ["error": .string(reason)]))
            outcome = ("failed", [status.rawValue, "template error: \(reason)", ""])
            commands.append(deadLetter(job, reason: "template error: \(reason)"))
            commands += releaseCapSlot(job)
        case .failed(let error)?:
            commands.append(releaseClaim(job))
            commands += releaseCapSlot(job)
            if let rateLimit = configuration.rateLimit, case .retryable(_, let retryAfter?) = error, retryAfter > 0 {
                // The provider asked everyone to slow down: hold the shared limiter, not just this message.
                commands.append(HeraldScripts.rateLimitPenalize.command(
                    keys: [rateLimit.key], arguments: rateLimit.limiter.penalizeArguments(retryAfter: retryAfter, now: nil)))
            }
            switch configuration.retry.decide(error: error, request: request, now: now) {
            case .retry(let at, let attempt):
                status = .retrying
                // `attempt` is the request's new (0-based) attempt count; records show attempts 1-based.
                fields += [("reason", error.description), ("retryAt", ISO8601.format(at)), ("nextAttempt", attempt + 1)]
                // A failover pair (`twilio>twilio-secondary`) speaks its primary's protocol.
                let primary = (provider as? FailoverProvider)?.primary.name ?? provider.name
                let callOutcome = ProviderCallOutcome.of(error, transport: ProviderCallOutcome.Transport.of(providerNamed: primary))
                metrics.increment(.sendRetries, ["channel": channel, "provider": provider.name, "reason": callOutcome.codeClass])
                logger.warning("provider call failed; retrying", Self.logFields(request, [
                    "retryAt": .string(ISO8601.format(at)), "nextAttempt": .number(Double(attempt + 1)), "error": .string(error.description),
                ]))
                outcome = ("failed", [status.rawValue, error.description, TrailRecord.seconds(at)])
                var retried = request
                retried.attempt = attempt
                retried.context["history"] = .array(Self.history(of: request) + [Self.attemptRecord(request, error: error, at: now)])
                commands += schedule(retried, at: at, partition: job.partition)
                if at.timeIntervalSince(now) < TimerScheduler.wakeHorizon { wakeScheduler = true }
            case .deadLetter(let reason):
                if case .invalidRecipient = error {
                    status = .bounced
                    commands += suppress(job, error: error, now: now)
                } else {
                    status = .failed
                }
                metrics.increment(.deadLetters, ["service": logger.service, "reason": reason.code])
                logger.error("provider call failed for good; dead-lettered", Self.logFields(request, [
                    "reason": .string(reason.code), "error": .string(reason.description),
                ]))
                fields.append(("reason", reason.description))
                outcome = ("failed", [status.rawValue, reason.description, ""])
                var final = job
                final.request.context["history"] = .array(Self.history(of: request) + [Self.attemptRecord(request, error: error, at: now)])
                commands.append(deadLetter(final, reason: reason.description))
            }
        }
        fields += quietHoursFields(job)
        commands += trailEntry(job, outcome.code, outcome.details, now: now)
        commands += quietHoursTrailNote(job, now: now)
        fields.insert(("status", status.rawValue), at: 0)
        // Per-channel status counters, summed over partitions by `heraldctl channels stats`.
        commands.append(RedisCommand("HINCRBY", [keyspace.deliveryStats(job.partition), "\(channel):\(status.rawValue)", 1]))
        commands.append(RedisConnection.xaddCommand(keyspace.deliveries(forPartition: job.partition), fields: fields, maxLength: configuration.deliveries.maxLength))
        metrics.increment(.deliveries, ["channel": channel, "status": status.rawValue])
        return commands
    }

    /// The ids an operator needs to act on a send's log line (`heraldctl trail USER`, `heraldctl
    /// deliveries`, a replay): user, journey, step, idempotency key, template and attempt; the
    /// handler's logger adds channel and provider. Never the message, the address or a credential.
    static func logFields(_ request: SendRequest, _ extra: [String: JSONValue]) -> [String: JSONValue] {
        [
            "user": .string(request.userId), "journey": .string(request.journey), "step": .string(request.step),
            "key": .string(request.idempotencyKey), "template": .string(request.template), "attempt": .number(Double(request.attempt + 1)),
        ].merging(extra) { _, new in new }
    }

    /// Marks the job's key sent, for as long as a redelivery or replay can reach it.
    private func sentMarker(_ job: Job, providerMessageId: String) -> RedisCommand {
        RedisCommand("SET", [
            configuration.keyspace.idempotency(job.partition, key: job.request.idempotencyKey),
            IdempotencyMarker.sent(providerMessageId: providerMessageId).encoded,
            "PX", Int64((configuration.idempotency.sentRetention * 1000).rounded()),
        ])
    }

    /// One entry in the user's compact trail (`TrailRecord.outcome`: the code, the send's key and
    /// `details`), capped and expiring as the evaluator's entries are (`TrailRetention`), so
    /// `heraldctl trail` shows what became of each send next to the decision that requested it.
    func trailEntry(_ job: Job, _ code: String, _ details: [String], now: Date) -> [RedisCommand] {
        let request = job.request
        let record = TrailRecord.outcome(
            code, journey: request.journey, version: request.journeyVersion, instanceId: request.instanceId, step: request.step,
            key: request.idempotencyKey, details: details)
        let key = configuration.keyspace.trailLog(job.partition, user: request.userId)
        let retention = configuration.trailRetention
        return [
            RedisCommand("LPUSH", [key, TrailRecord.encodeEntry([record], atMilliseconds: Int64((now.timeIntervalSince1970 * 1000).rounded()))]),
            RedisCommand("LTRIM", [key, 0, retention.maxLength - 1]),
            RedisCommand("PEXPIRE", [key, retention.maxAgeMilliseconds]),
        ]
    }

    /// A deferred or retried send goes through the scheduler back to this channel's outbox.
    private func schedule(_ request: SendRequest, at: Date, partition: Int) -> [RedisCommand] {
        let keyspace = configuration.keyspace
        let id = "send|\(request.idempotencyKey)|\(request.attempt)|\(Int64(at.timeIntervalSince1970 * 1000))"
        let payload = "send:\(request.channel.rawValue)\n" + request.json.serialized()
        return [
            RedisCommand("MULTI"),
            RedisCommand("HSET", [keyspace.timerPayloads(partition), id, payload]),
            RedisCommand("ZADD", [keyspace.timers(partition), Int64((at.timeIntervalSince1970 * 1000).rounded()), id]),
            RedisCommand("EXEC"),
        ]
    }

    private func releaseCapSlot(_ job: Job) -> [RedisCommand] {
        guard job.request.category == .marketing, !configuration.policy.frequencyCaps.caps(for: job.request.channel).isEmpty else { return [] }
        return [HeraldScripts.frequencyCapRelease.command(
            keys: [configuration.keyspace.capWindow(job.partition, user: job.request.userId, channel: job.request.channel)],
            arguments: [job.request.idempotencyKey])]
    }

    /// The request, with its history, as a dead letter of its outbox: a replay sends it again.
    private func deadLetter(_ job: Job, reason: String) -> RedisCommand {
        let outbox = configuration.keyspace.outbox(job.partition, job.request.channel)
        return DeadLetter(
            stream: outbox, error: reason, deliveries: job.request.attempt + 1, consumer: configuration.consumer,
            original: [("request", Array(job.request.json.serialized().utf8))]
        ).command(to: configuration.keyspace.deadLetter(forStream: outbox))
    }

    /// Every earlier attempt of a request: when, and the provider's error.
    static func history(of request: SendRequest) -> [JSONValue] {
        request.context["history"]?.arrayValue ?? []
    }

    static func attemptRecord(_ request: SendRequest, error: ProviderError, at: Date) -> JSONValue {
        ["attempt": .number(Double(request.attempt + 1)), "at": .string(ISO8601.format(at)), "error": .string(error.description)]
    }

    /// A provider's refusal of an address (a hard bounce, an unregistered push token, an invalid SMS
    /// number) becomes the documented feedback event a provider callback would send, put on the
    /// user's partition stream as Herald's own `feedback` entry: the evaluator, the only writer of
    /// suppression records, applies it atomically with the user's other data (the suppression, and
    /// the token removed from `pushTokens`). Webhook endpoints and in-app are never suppressed.
    private func suppress(_ job: Job, error: ProviderError, now: Date) -> [RedisCommand] {
        let request = job.request
        guard let address = job.recipient, let event = FeedbackEvents.refusalEvent(
            for: error, channel: request.channel, recipient: address, userId: request.userId,
            messageKey: request.idempotencyKey, attempt: request.attempt, at: now)
        else { return [] }
        logger.warning("address refused by the provider; suppressing it", Self.logFields(request, ["error": .string(error.description)]))
        return [PartitionInput.feedbackCommand(keyspace: configuration.keyspace, event: event)]
    }
}
