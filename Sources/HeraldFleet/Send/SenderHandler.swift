import Foundation
import HeraldCore
import HeraldDelivery
import HeraldTemplates
import Synchronization

/// Carries out send requests for one channel: consent and suppression, quiet hours, frequency caps,
/// an idempotency claim, rendering, one provider call, and the outcome recorded in
/// `herald:deliveries`.
///
/// A batch goes through named phases, each one round trip to its `SenderStore` at most: decode,
/// load (profiles and suppressions), the pure policy, claims (idempotency keys, then cap slots),
/// render, the shared rate limit, then provider calls whose outcomes are recorded as each call
/// returns, and last the outcomes of requests that were never sent. A provider's answer is never
/// re-derived by calling it again: it is written until the store takes it. The fleet runs it on
/// `RedisSenderStore`; tests run the same logic on `InMemorySenderStore`.
public final class SenderHandler: StreamBatchHandler {
    let configuration: SenderConfiguration
    let provider: any MessageProvider
    let metrics: Metrics
    let logger: Logger
    /// Keys this loop saw the provider accept, so a redelivery after Redis lost the `sent:` marker
    /// (a restart without `appendfsync always`, a failover) still finds them sent.
    let recentlySent = Mutex(RecentSends(capacity: 100_000))

    /// Creates a handler.
    public init(configuration: SenderConfiguration, provider: any MessageProvider, metrics: Metrics, logger: Logger) {
        self.configuration = configuration
        self.provider = provider
        self.metrics = metrics
        self.logger = logger.with(["channel": .string(configuration.channel.rawValue), "provider": .string(provider.name)])
    }

    /// One request on its way through the phases. `outcome` is `nil` while the request is still
    /// on its way to the provider; the first phase that decides it does not go (or the provider's
    /// answer) sets it, and every later phase passes it by.
    struct Job: Sendable {
        var position: Int
        var request: SendRequest
        var partition: Int
        var profile: [String: JSONValue] = [:]
        var suppression = SuppressionRecord()
        var recipient: String?
        var message: OutboundMessage?
        var outcome: Outcome?
        /// Whether the job's idempotency claim is given back when its outcome is recorded (a cap, a
        /// template error or the rate limit stopped it after it claimed the key).
        var givesClaimBack = false
        /// The rate-limit slot reserved for this request: the one it came back with (taken out of
        /// its context when decoded), or the one the limiter just gave it.
        var reservedSlot: Date?
        /// The zone quiet hours judged the request in, and why; `nil` when they did not apply.
        var zone: ZoneChoice?
        /// When quiet hours hold the request until.
        var quietUntil: Date?
        /// Whether the request's journey waives quiet hours that would otherwise apply.
        var quietHoursWaived = false

        /// Whether no phase has decided the job's outcome yet: it is still on its way to the provider.
        var isOpen: Bool { outcome == nil }

        enum Outcome: Sendable {
            case sent(ProviderReceipt, at: Date)
            case suppressed(String)
            case deferred(until: Date, reason: String)
            /// Over the shared rate limit: back through the scheduler at `slot`, which the limiter
            /// reserved for it.
            case rateLimited(slot: Date)
            /// Sent before; `restoreMarker` when only this process still knew it.
            case duplicate(String, restoreMarker: Bool)
            case busy(holder: String, until: Date)
            case failed(ProviderError)
            case templateError(String)
            /// The claim's holder stopped without an outcome; `parkedNow` when this call parked it.
            case unknown(previousConsumer: String, parkedNow: Bool)
            /// The request cannot be sent safely (an unreadable idempotency marker); dead-lettered.
            case refused(String)
        }
    }

    /// Handles a batch of send requests on Redis.
    public func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
        let logger = self.logger, metrics = self.metrics, channel = configuration.channel.rawValue
        let store = RedisSenderStore(
            connection: connection, keyspace: configuration.keyspace, trailRetention: configuration.trailRetention,
            deliveries: configuration.deliveries
        ) { reason in
            logger.warning("recording delivery outcomes failed; retrying until Redis takes it", ["error": .string(reason)])
            metrics.increment(.recordRetries, ["channel": channel])
        }
        return try await handle(entries, store: store)
    }

    /// Handles a batch of send requests on `store`: the phases, in order.
    public func handle(_ entries: [StreamEntry], store: any SenderStore) async throws -> [EntryOutcome] {
        var outcomes = [EntryOutcome](repeating: .done, count: entries.count)
        var jobs = decode(entries, outcomes: &outcomes)
        if jobs.isEmpty { return outcomes }
        let now = Date()
        try await load(&jobs, store: store)
        decidePolicy(&jobs, now: now)
        try await claim(&jobs, store: store, now: now)
        renderClaimed(&jobs, now: now)
        try await acquireRateLimit(&jobs, store: store, now: now)
        let delivered = try await deliverAndRecord(&jobs, store: store, now: now)
        try await recordUnsent(jobs, skipping: delivered, store: store, now: now)
        for job in jobs { outcomes[job.position] = entryOutcome(for: job) }
        return outcomes
    }

    // MARK: Phases

    /// Reads each entry's request; an unreadable one is dead-lettered with the reason.
    private func decode(_ entries: [StreamEntry], outcomes: inout [EntryOutcome]) -> [Job] {
        var jobs: [Job] = []
        for (position, entry) in entries.enumerated() {
            do {
                guard let bytes = entry.bytes("request") else { throw SendRequestDecodingError.missing("request") }
                var request = try SendRequest(json: try JSONValue.parse(bytes))
                let slot = request.context.removeValue(forKey: ChannelRateLimit.slotContextKey)?.numberValue
                var job = Job(position: position, request: request, partition: configuration.keyspace.partition(ofUser: request.userId))
                job.reservedSlot = slot.map { Date(timeIntervalSince1970: $0 / 1000) }
                jobs.append(job)
            } catch {
                outcomes[position] = .deadLetter(reason: "unreadable send request: \(error)")
            }
        }
        return jobs
    }

    /// A store's answers, one per question asked. Fewer (or more) fail the batch, which is retried,
    /// rather than leave jobs without a profile, a claim or a cap decision, which would send them
    /// unchecked.
    static func answers<Answer>(_ answers: [Answer], asked: Int, phase: String) throws -> [Answer] {
        guard answers.count == asked else { throw RedisServerError(command: phase, message: "\(answers.count) answers for \(asked) jobs") }
        return answers
    }

    /// Loads profiles and suppression records. An unreadable suppression record means "do not
    /// send" (fail closed): the message is suppressed with that reason, and the record stays as stored.
    private func load(_ jobs: inout [Job], store: any SenderStore) async throws {
        let snapshots = try Self.answers(
            try await store.load(jobs.map { SenderUser(partition: $0.partition, userId: $0.request.userId) }), asked: jobs.count, phase: "load")
        for (index, snapshot) in zip(jobs.indices, snapshots) {
            jobs[index].profile = snapshot.profile
            jobs[index].recipient = recipient(for: jobs[index])
            guard let bytes = snapshot.suppression else { continue }
            do {
                jobs[index].suppression = try SuppressionRecord(json: try JSONValue.parse(bytes))
            } catch {
                logger.error("unreadable suppression record; not sending", ["user": .string(jobs[index].request.userId), "key": .string(jobs[index].request.idempotencyKey), "error": .string("\(error)")])
                jobs[index].outcome = .suppressed(Self.unreadableSuppressionReason)
            }
        }
        try await loadErasedSuppressions(&jobs, store: store)
    }

    /// The reason recorded when a user's suppression record cannot be read.
    static let unreadableSuppressionReason = "unreadable_suppression_record"

    /// Consent, suppression and quiet hours (pure); caps are checked atomically when claiming.
    private func decidePolicy(_ jobs: inout [Job], now: Date) {
        for index in jobs.indices where jobs[index].isOpen {
            let job = jobs[index]
            let verdict = configuration.policy.decideBeforeCaps(
                request: job.request, recipient: job.recipient, traits: job.profile, suppression: job.suppression,
                journeyTimeZone: job.request.journeyTimeZone, now: now)
            for warning in verdict.warnings {
                logger.warning("time zone problem", ["user": .string(job.request.userId), "key": .string(job.request.idempotencyKey), "warning": .string("\(warning)")])
            }
            jobs[index].zone = verdict.zone
            jobs[index].quietHoursWaived = verdict.quietHoursWaived
            switch verdict.decision {
            case .send: break
            case .suppress(let reason): jobs[index].outcome = .suppressed(reason.rawValue)
            case .deferred(let until, let reason):
                jobs[index].outcome = .deferred(until: until, reason: "\(reason)")
                jobs[index].quietUntil = until
            case .capped(let until, let cap): jobs[index].outcome = .deferred(until: until, reason: "frequency cap \(cap)")
            }
        }
    }

    /// Renders every claimed message; a template error fails only its message, which gives its
    /// claim back.
    private func renderClaimed(_ jobs: inout [Job], now: Date) {
        for index in jobs.indices where jobs[index].isOpen {
            do {
                jobs[index].message = try render(jobs[index], now: now)
            } catch {
                jobs[index].outcome = .templateError("\(error)")
                jobs[index].givesClaimBack = true
            }
        }
    }

    /// The provider's shared rate limit. A message over it is deferred once, through the scheduler,
    /// to the slot the limiter reserved for it, and gives its claim back; when it comes back at that
    /// slot it goes without asking again.
    private func acquireRateLimit(_ jobs: inout [Job], store: any SenderStore, now: Date) async throws {
        guard let rateLimit = configuration.rateLimit else {
            for index in jobs.indices { jobs[index].reservedSlot = nil }
            return
        }
        let deliverable = jobs.indices.filter { jobs[$0].isOpen && !holdsReservation(jobs[$0], now: now) }
        if deliverable.isEmpty { return }
        let decisions = try Self.answers(try await store.acquireRateLimit(rateLimit, count: deliverable.count), asked: deliverable.count, phase: "rate limit")
        var denied = 0
        for (index, decision) in zip(deliverable, decisions) {
            switch decision {
            case .allowed:
                jobs[index].reservedSlot = nil
            case .reserved(let slot):
                denied += 1
                jobs[index].reservedSlot = slot
                jobs[index].outcome = .rateLimited(slot: slot)
                jobs[index].givesClaimBack = true
            }
        }
        if denied > 0 {
            let limited = (provider as? FailoverProvider)?.primary.name ?? provider.name
            metrics.increment(.sendsRateLimited, by: Double(denied), ["channel": configuration.channel.rawValue, "provider": limited])
        }
    }

    /// Whether the job came back at the rate-limit slot reserved for it (within
    /// `ChannelRateLimit.reservationGrace`), so the slot is its own and it goes now.
    private func holdsReservation(_ job: Job, now: Date) -> Bool {
        guard let slot = job.reservedSlot else { return false }
        return abs(now.timeIntervalSince(slot)) <= ChannelRateLimit.reservationGrace
    }

    /// Records the outcomes of every job that did not reach the provider, with the claims and
    /// cap slots to give back, until the store takes them.
    private func recordUnsent(_ jobs: [Job], skipping delivered: Set<Int>, store: any SenderStore, now: Date) async throws {
        var records: [SenderOutcomeRecord] = []
        var wakeScheduler = false
        for index in jobs.indices where !delivered.contains(index) {
            if let record = record(jobs[index], now: now, wakeScheduler: &wakeScheduler) { records.append(record) }
        }
        try await store.record(records, wakeScheduler: wakeScheduler)
    }

    /// What the worker does with the job's entry.
    private func entryOutcome(for job: Job) -> EntryOutcome {
        switch job.outcome {
        case .busy(let holder, let until)?:
            // Another sender holds a live claim on this key: leave the entry pending without
            // counting it; it comes back when the claim would expire and then finds the key sent
            // or abandoned.
            return .wait(reason: "idempotency key is being sent by \(holder)", retryAfterMilliseconds: max(0, Int(until.timeIntervalSinceNow * 1000)))
        case nil:
            return .retry(reason: "no outcome")
        default:
            return .done
        }
    }
}
