import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTemplates

/// Carries out send requests for one channel: consent and suppression, quiet hours, frequency caps,
/// an idempotency claim, rendering, one provider call, and the outcome recorded in
/// `herald:deliveries`.
///
/// Redis work is batched: one pipeline loads profiles and suppressions, one claims idempotency keys
/// and cap slots, provider calls run concurrently, and one pipeline records every outcome.
public final class SenderHandler: StreamBatchHandler {
    let configuration: SenderConfiguration
    let provider: any MessageProvider
    let metrics: Metrics
    let logger: Logger

    /// Creates a handler.
    public init(configuration: SenderConfiguration, provider: any MessageProvider, metrics: Metrics, logger: Logger) {
        self.configuration = configuration
        self.provider = provider
        self.metrics = metrics
        self.logger = logger
    }

    /// One request on its way through the pipeline.
    struct Job: Sendable {
        var position: Int
        var request: SendRequest
        var partition: Int
        var profile: [String: JSONValue] = [:]
        var suppression = SuppressionRecord()
        var recipient: String?
        var message: OutboundMessage?
        var outcome: Outcome?

        enum Outcome: Sendable {
            case sent(ProviderReceipt, at: Date)
            case suppressed(String)
            case deferred(until: Date, reason: String)
            case duplicate(String)
            case busy(String)
            case failed(ProviderError)
            case templateError(String)
        }
    }

    /// Handles a batch of send requests.
    public func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
        let keyspace = configuration.keyspace
        var outcomes = [EntryOutcome](repeating: .done, count: entries.count)
        var jobs: [Job] = []
        for (position, entry) in entries.enumerated() {
            do {
                guard let bytes = entry.bytes("request") else { throw SendRequestDecodingError.missing("request") }
                let request = try SendRequest(json: try JSONValue.parse(bytes))
                jobs.append(Job(position: position, request: request, partition: keyspace.partition(ofUser: request.userId)))
            } catch {
                outcomes[position] = .deadLetter(reason: "unreadable send request: \(error)")
            }
        }
        if jobs.isEmpty { return outcomes }
        let now = Date()

        // 1. Profiles and suppressions.
        let loads = try await connection.pipeline(jobs.flatMap { job in
            [RedisCommand("HGETALL", [keyspace.profile(job.partition, user: job.request.userId)]),
             RedisCommand("GET", [keyspace.suppression(job.partition, user: job.request.userId)])]
        })
        for index in jobs.indices {
            jobs[index].profile = JSONValue.traits(fromProfileHash: loads[index * 2])
            if let bytes = loads[index * 2 + 1].bytes, let json = try? JSONValue.parse(bytes), let record = try? SuppressionRecord(json: json) {
                jobs[index].suppression = record
            }
            jobs[index].recipient = recipient(for: jobs[index])
        }

        // 2. Consent, suppression and quiet hours (pure); caps are checked atomically below.
        for index in jobs.indices {
            let job = jobs[index]
            let verdict = configuration.policy.decideBeforeCaps(
                request: job.request, recipient: job.recipient, traits: job.profile, suppression: job.suppression,
                journeyTimeZone: job.request.context["journey"]?["timeZone"]?.stringValue, now: now)
            for warning in verdict.warnings {
                logger.warning("time zone problem", ["user": .string(job.request.userId), "warning": .string("\(warning)")])
            }
            switch verdict.decision {
            case .send: break
            case .suppress(let reason): jobs[index].outcome = .suppressed(reason.rawValue)
            case .deferred(let until, let reason): jobs[index].outcome = .deferred(until: until, reason: "\(reason)")
            case .capped(let until, let cap): jobs[index].outcome = .deferred(until: until, reason: "frequency cap \(cap)")
            }
        }

        // 3. Idempotency claims, then cap slots for the claimed ones only (a duplicate must not
        //    take a slot), one pipeline each.
        var releaseCommands: [RedisCommand] = []
        // A key twice in one batch (a redelivered request next to its original) would find this
        // consumer's own claim and go out twice: the later copy waits for its redelivery, which
        // then finds the key sent and records `duplicate`.
        var keysInBatch: Set<String> = []
        for index in jobs.indices where !keysInBatch.insert(jobs[index].request.idempotencyKey).inserted {
            jobs[index].outcome = .busy(configuration.consumer)
        }
        let candidates = jobs.indices.filter { jobs[$0].outcome == nil }
        // The common case needs no script: SET NX GET claims a free key, or returns what holds it.
        let leaseMilliseconds = Int64(configuration.idempotency.lease * 1000)
        let claimValue = IdempotencyPolicy.claimValue(consumer: configuration.consumer, now: now)
        let claimReplies = try await connection.pipeline(candidates.map { index in
            RedisCommand("SET", [
                keyspace.idempotency(jobs[index].partition, key: jobs[index].request.idempotencyKey), claimValue,
                "NX", "PX", leaseMilliseconds * 2, "GET",
            ])
        })
        var contested: [Int] = []
        for (index, reply) in zip(candidates, claimReplies) {
            if case .error(let message) = reply { throw RedisServerError(command: "idempotency claim", message: message) }
            guard let existing = reply.string else { continue }  // nil: the key was free and is ours
            switch configuration.idempotency.decideClaim(existing: existing, consumer: configuration.consumer, now: now) {
            case .alreadySent(let providerMessageId): jobs[index].outcome = .duplicate(providerMessageId)
            case .busy(let holder, _): jobs[index].outcome = .busy(holder)
            case .claimed, .takenOver: contested.append(index)
            }
        }
        // Our own earlier claim, or one whose lease expired: take it over atomically with the script.
        let takeovers = try await connection.pipeline(contested.map { index in
            DeliveryScripts.claim.command(
                keys: [keyspace.idempotency(jobs[index].partition, key: jobs[index].request.idempotencyKey)],
                arguments: configuration.idempotency.claimArguments(consumer: configuration.consumer, now: now))
        })
        for (index, reply) in zip(contested, takeovers) {
            if case .error(let message) = reply { throw RedisServerError(command: "idempotency claim", message: message) }
            switch IdempotencyClaimDecision(reply: (reply.array ?? []).compactMap(\.string)) {
            case .alreadySent(let providerMessageId)?: jobs[index].outcome = .duplicate(providerMessageId)
            case .busy(let holder, _)?: jobs[index].outcome = .busy(holder)
            case .takenOver(let previous)?:
                logger.warning("idempotency claim taken over from an expired lease", ["key": .string(jobs[index].request.idempotencyKey), "previous": .string(previous)])
            case .claimed?: break
            case nil: throw RedisServerError(command: "idempotency claim", message: "unexpected reply \(reply)")
            }
        }
        var capped: [Int] = []
        var capCommands: [RedisCommand] = []
        for index in candidates where jobs[index].outcome == nil {
            let request = jobs[index].request
            guard let arguments = configuration.policy.frequencyCaps.scriptArguments(
                channel: request.channel, category: request.category, member: request.idempotencyKey, now: now)
            else { continue }
            capped.append(index)
            capCommands.append(DeliveryScripts.capCheck.command(
                keys: [keyspace.capWindow(jobs[index].partition, user: request.userId, channel: request.channel)], arguments: arguments))
        }
        let capReplies = try await connection.pipeline(capCommands)
        for (index, reply) in zip(capped, capReplies) {
            if case .error(let message) = reply { throw RedisServerError(command: "frequency cap", message: message) }
            let values = (reply.array ?? []).compactMap(\.int)
            guard case .capped(let until, let cap)? = configuration.policy.frequencyCaps.scriptDecision(channel: jobs[index].request.channel, reply: values) else { continue }
            switch configuration.policy.decision(for: .capped(until: until, cap: cap)) {
            case .suppress(let reason): jobs[index].outcome = .suppressed(reason.rawValue)
            default: jobs[index].outcome = .deferred(until: until, reason: "frequency cap \(cap)")
            }
            // Give the claim back so the later attempt (or nobody, when dropped) is not blocked.
            releaseCommands.append(releaseClaim(jobs[index]))
        }

        // 4. Render and deliver, concurrently.
        let ready = jobs.indices.filter { jobs[$0].outcome == nil }
        for index in ready {
            do {
                jobs[index].message = try render(jobs[index], now: now)
            } catch {
                jobs[index].outcome = .templateError("\(error)")
                releaseCommands.append(releaseClaim(jobs[index]))
            }
        }
        var deliverable = ready.filter { jobs[$0].outcome == nil }

        // 5. The provider's shared rate limit: a denied message is deferred through the scheduler.
        if let rateLimit = configuration.rateLimit, !deliverable.isEmpty {
            let replies = try await connection.pipeline(deliverable.map { _ in
                ChannelRateLimit.acquire.command(keys: [rateLimit.key], arguments: rateLimit.limiter.acquireArguments(now: nil))
            })
            var denied = 0
            for (index, reply) in zip(deliverable, replies) {
                if case .error(let message) = reply { throw RedisServerError(command: "rate limit", message: message) }
                guard case .limited(let retryAfter)? = RateLimitDecision(reply: (reply.array ?? []).compactMap(\.int)) else { continue }
                // Spread the denied ones one emission interval apart so they do not all come back at once.
                let spread = Double(denied) / rateLimit.limiter.rate
                denied += 1
                jobs[index].outcome = .deferred(until: now.addingTimeInterval(retryAfter + spread), reason: "rate limit \(rateLimit.key)")
                releaseCommands.append(releaseClaim(jobs[index]))
            }
            if denied > 0 {
                metrics.increment("herald_sends_rate_limited_total", by: Double(denied), labels: ["channel": configuration.channel.rawValue], help: "Sends deferred by the provider rate limit")
            }
            deliverable = deliverable.filter { jobs[$0].outcome == nil }
        }
        let results = await deliver(deliverable.map { jobs[$0].message! })
        for (index, result) in zip(deliverable, results) { jobs[index].outcome = result }

        // 6. Record every outcome in one pipeline.
        var commands = releaseCommands
        var wakeScheduler = false
        for index in jobs.indices {
            let (recordCommands, entryOutcome) = record(jobs[index], now: now, wakeScheduler: &wakeScheduler)
            commands += recordCommands
            outcomes[jobs[index].position] = entryOutcome
        }
        // A rate-limit deferral or a first retry is due in milliseconds: don't let it wait for the
        // scheduler's own next check.
        if wakeScheduler { commands += TimerScheduler.wakeCommands(configuration.keyspace) }
        let replies = try await connection.pipeline(commands)
        for reply in replies {
            if case .error(let message) = reply { logger.error("recording a delivery outcome failed", ["error": .string(message)]) }
        }
        return outcomes
    }

    private func deliver(_ messages: [OutboundMessage]) async -> [Job.Outcome] {
        let provider = self.provider
        let limit = max(1, configuration.sendConcurrency)
        return await withTaskGroup(of: (Int, Job.Outcome).self) { group in
            var results = [Job.Outcome?](repeating: nil, count: messages.count)
            var next = 0
            func start(_ index: Int) {
                group.addTask {
                    do throws(ProviderError) {
                        return (index, .sent(try await provider.deliver(messages[index]), at: Date()))
                    } catch {
                        return (index, .failed(error))
                    }
                }
            }
            while next < min(limit, messages.count) { start(next); next += 1 }
            while let (index, outcome) = await group.next() {
                results[index] = outcome
                if next < messages.count { start(next); next += 1 }
            }
            return results.map { $0! }
        }
    }
}
