import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

extension SenderHandler {
    /// What one job's outcome writes: the idempotency marker, the claim or cap slot given back, a
    /// retry or deferral scheduled, a dead letter, the status counter and the `herald:deliveries`
    /// record. A job waiting on another sender's claim records nothing (`nil`).
    func record(_ job: Job, now: Date, wakeScheduler: inout Bool) -> SenderOutcomeRecord? {
        let request = job.request
        let channel = request.channel.rawValue
        var record = SenderOutcomeRecord(partition: job.partition, request: request, at: now)
        if job.givesClaimBack { record.keyChange = .release(consumer: configuration.consumer) }
        var fields: [(String, String)] = [
            ("id", request.idempotencyKey), ("userId", request.userId), ("journey", request.journey), ("step", request.step),
            ("channel", channel), ("template", request.template), ("category", request.category.rawValue),
            ("attempt", String(request.attempt + 1)), ("requestedAt", ISO8601.format(request.requestedAt)), ("at", ISO8601.format(now)),
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
            record.keyChange = .write(configuration.idempotency.sentWrite(providerMessageId: receipt.providerMessageId))
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
            record.scheduled = .init(request: request, at: until)
            if until.timeIntervalSince(now) < TimerScheduler.wakeHorizon { wakeScheduler = true }
        case .rateLimited(let slot)?:
            status = .deferred
            fields += [("reason", "rate limit \(configuration.rateLimit.map { "\($0.key)" } ?? "")"), ("until", ISO8601.format(slot))]
            outcome = ("deferred", [TrailRecord.seconds(slot), "rate limit"])
            // The slot travels with the request, so it is used when the request comes back.
            var reserved = request
            reserved.context[ChannelRateLimit.slotContextKey] = .number(Double(slot.unixMilliseconds))
            record.scheduled = .init(request: reserved, at: slot)
            if slot.timeIntervalSince(now) < TimerScheduler.wakeHorizon { wakeScheduler = true }
        case .duplicate(let providerMessageId, let restoreMarker)?:
            status = .duplicate
            fields += [("reason", "already sent; not sent again"), ("providerMessageId", providerMessageId)]
            outcome = ("sent", [provider.name, providerMessageId, "duplicate"])
            if restoreMarker { record.keyChange = .write(configuration.idempotency.sentWrite(providerMessageId: providerMessageId)) }
        case .busy?, nil:
            return nil
        case .unknown(let previous, let parkedNow)?:
            guard parkedNow else {
                metrics.increment(.sendsUnknownRedelivered, ["channel": channel])
                return nil
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
            record.deadLetter = deadLetter(job, reason: reason)
            record.releasesCapSlot = holdsCapSlot(job)
        case .templateError(let reason)?:
            status = .failed
            fields.append(("reason", "template error: \(reason)"))
            metrics.increment(.deadLetters, ["service": logger.service, "reason": "template_error"])
            logger.error("not sent: template error; dead-lettered", Self.logFields(request, ["error": .string(reason)]))
            outcome = ("failed", [status.rawValue, "template error: \(reason)", ""])
            record.deadLetter = deadLetter(job, reason: "template error: \(reason)")
            record.releasesCapSlot = holdsCapSlot(job)
        case .failed(let error)?:
            record.keyChange = .release(consumer: configuration.consumer)
            record.releasesCapSlot = holdsCapSlot(job)
            if let rateLimit = configuration.rateLimit, case .retryable(_, let retryAfter?) = error, retryAfter > 0 {
                // The provider asked everyone to slow down: hold the shared limiter, not just this
                // message; no longer than the retry policy would ever wait.
                record.rateLimitPenalty = (rateLimit, min(retryAfter, configuration.retry.maxRetryAfter))
            }
            switch configuration.retry.decide(error: error, request: request, now: now) {
            case .retry(let at, let attempt):
                status = .retrying
                // `attempt` is the request's new (0-based) attempt count; records show attempts 1-based.
                fields += [("reason", error.description), ("retryAt", ISO8601.format(at)), ("nextAttempt", String(attempt + 1))]
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
                record.scheduled = .init(request: retried, at: at)
                if at.timeIntervalSince(now) < TimerScheduler.wakeHorizon { wakeScheduler = true }
            case .deadLetter(let reason):
                if case .invalidRecipient = error {
                    status = .bounced
                    record.feedback = refusalFeedback(job, error: error, now: now)
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
                record.deadLetter = deadLetter(final, reason: reason.description)
            }
        }
        fields += quietHoursFields(job)
        record.trail.append(.init(code: outcome.code, details: outcome.details))
        if let note = quietHoursTrailNote(job) { record.trail.append(note) }
        record.delivery = .init(status: status, fields: fields)
        metrics.increment(.deliveries, ["channel": channel, "status": status.rawValue])
        return record
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

    /// Whether the job took a cap slot that is given back when it is not sent: a marketing job on a
    /// capped channel.
    private func holdsCapSlot(_ job: Job) -> Bool {
        job.request.category == .marketing && !configuration.policy.frequencyCaps.caps(for: job.request.channel).isEmpty
    }

    /// The request, with its history, as a dead letter of its outbox: a replay sends it again.
    private func deadLetter(_ job: Job, reason: String) -> DeadLetter {
        DeadLetter(
            stream: configuration.keyspace.outbox(job.partition, job.request.channel), error: reason, deliveries: job.request.attempt + 1,
            consumer: configuration.consumer, original: [("request", Array(job.request.json.serialized().utf8))])
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
    private func refusalFeedback(_ job: Job, error: ProviderError, now: Date) -> Event? {
        let request = job.request
        guard let address = job.recipient, let event = FeedbackEvents.refusalEvent(
            for: error, channel: request.channel, recipient: address, userId: request.userId,
            messageKey: request.idempotencyKey, attempt: request.attempt, at: now)
        else { return nil }
        logger.warning("address refused by the provider; suppressing it", Self.logFields(request, ["error": .string(error.description)]))
        return event
    }
}
