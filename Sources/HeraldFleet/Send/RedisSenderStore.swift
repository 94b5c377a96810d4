import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// The fleet's `SenderStore`: each batch phase is one Redis pipeline on the worker loop's
/// connection, with the commands and scripts the sender has always used (`HGETALL`/`GET` to load,
/// `SET NX GET` then `idempotency-claim.lua` to claim, `frequency-cap-check.lua`,
/// `rate-limit-acquire.lua`, and one pipeline of records written until Redis takes it).
public struct RedisSenderStore: SenderStore {
    /// The worker loop's connection.
    public let connection: RedisConnection
    /// Key names.
    public let keyspace: Keyspace
    /// How much of a user's trail is kept.
    public let trailRetention: TrailRetention
    /// How many records each delivery-record shard keeps.
    public let deliveries: DeliveryLogRetention
    /// Told each transient failure while records are written again (for logs and metrics).
    public let onRecordRetry: @Sendable (_ reason: String) -> Void

    /// Creates a store on `connection`.
    public init(
        connection: RedisConnection, keyspace: Keyspace, trailRetention: TrailRetention = .standard,
        deliveries: DeliveryLogRetention = .standard, onRecordRetry: @escaping @Sendable (_ reason: String) -> Void = { _ in }
    ) {
        self.connection = connection
        self.keyspace = keyspace
        self.trailRetention = trailRetention
        self.deliveries = deliveries
        self.onRecordRetry = onRecordRetry
    }

    /// One pipeline: `HGETALL herald:{pN}:profile:<user>` and `GET herald:{pN}:suppression:<user>` per user.
    public func load(_ users: [SenderUser]) async throws -> [SenderUserSnapshot] {
        if users.isEmpty { return [] }
        let replies = try await connection.pipeline(users.flatMap { user in
            [RedisCommand.hgetall(keyspace.profile(user.partition, user: user.userId)), .get(keyspace.suppression(user.partition, user: user.userId))]
        })
        return try users.indices.map { index in
            for reply in replies[(index * 2)...(index * 2 + 1)] {
                if case .error(let message) = reply { throw RedisServerError(command: "load profile and suppression", message: message) }
            }
            return SenderUserSnapshot(profile: JSONValue.traits(fromProfileHash: replies[index * 2]), suppression: replies[index * 2 + 1].bytes)
        }
    }

    /// One pipeline: `HGETALL herald:suppressed:<addressHash>` per address.
    public func loadErasedSuppressions(_ addressHashes: [String]) async throws -> [[(field: String, since: String)]] {
        if addressHashes.isEmpty { return [] }
        let replies = try await connection.pipeline(addressHashes.map { RedisCommand.hgetall(keyspace.erasedSuppression(addressHash: $0)) })
        return try replies.map { reply in
            if case .error(let message) = reply { throw RedisServerError(command: "HGETALL erased suppression", message: message) }
            return reply.fieldPairs.map { (field: $0.0, since: $0.1.string ?? "") }
        }
    }

    /// The common case needs no script: one pipeline of `SET <key> <claim marker> NX PX <2 leases>
    /// GET` claims each free key, or returns what holds it, decided by `IdempotencyPolicy`. Only
    /// a decision that writes (this consumer's own earlier claim, an abandoned one) is decided
    /// again, atomically, by `idempotency-claim.lua`, in a second pipeline.
    public func claim(_ claims: [SenderClaim], consumer: String, policy: IdempotencyPolicy, now: Date) async throws -> [IdempotencyClaimDecision] {
        if claims.isEmpty { return [] }
        let replies = try await connection.pipeline(claims.map { claim in
            let write = policy.claimWrite(consumer: consumer, attempt: claim.attempt, now: now)
            return RedisCommand.set(
                keyspace.idempotency(claim.partition, key: claim.idempotencyKey), to: write.marker.encoded,
                onCondition: .keyDoesNotExist, expiration: .milliseconds(write.retentionMilliseconds), returningPrevious: true)
        })
        var decisions = [IdempotencyClaimDecision](repeating: .claimed, count: claims.count)
        var contested: [Int] = []
        for (index, reply) in replies.enumerated() {
            if case .error(let message) = reply { throw RedisServerError(command: "idempotency claim", message: message) }
            guard let existing = reply.string else { continue }  // nil: the key was free and is ours
            let outcome = policy.claim(existing: existing, consumer: consumer, attempt: claims[index].attempt, category: claims[index].category, now: now)
            if outcome.write != nil { contested.append(index) } else { decisions[index] = outcome.decision }
        }
        if contested.isEmpty { return decisions }
        let scripted = try await connection.pipeline(contested.map { index in
            HeraldScripts.idempotencyClaim.command(
                keys: [keyspace.idempotency(claims[index].partition, key: claims[index].idempotencyKey)],
                arguments: policy.claimArguments(consumer: consumer, attempt: claims[index].attempt, category: claims[index].category, now: now))
        })
        for (index, reply) in zip(contested, scripted) {
            if case .error(let message) = reply { throw RedisServerError(command: "idempotency claim", message: message) }
            guard let decision = IdempotencyClaimDecision(reply: (reply.array ?? []).compactMap(\.string)) else {
                throw RedisServerError(command: "idempotency claim", message: "unexpected reply \(reply)")
            }
            decisions[index] = decision
        }
        return decisions
    }

    /// One pipeline of `frequency-cap-check.lua` on `herald:{pN}:caps:<user>:<channel>`, for the
    /// slots the caps apply to; the others are allowed without a call.
    public func takeCapSlots(_ slots: [SenderCapSlot], caps: FrequencyCapPolicy, now: Date) async throws -> [FrequencyCapDecision] {
        var decisions = [FrequencyCapDecision](repeating: .allowed, count: slots.count)
        var checked: [Int] = []
        var commands: [RedisCommand] = []
        for (index, slot) in slots.enumerated() {
            guard let arguments = caps.scriptArguments(channel: slot.channel, category: slot.category, member: slot.member, now: now) else { continue }
            checked.append(index)
            commands.append(HeraldScripts.frequencyCapCheck.command(
                keys: [keyspace.capWindow(slot.partition, user: slot.userId, channel: slot.channel)], arguments: arguments))
        }
        if commands.isEmpty { return decisions }
        for (index, reply) in zip(checked, try await connection.pipeline(commands)) {
            if case .error(let message) = reply { throw RedisServerError(command: "frequency cap", message: message) }
            // A reply the caps cannot read counts as allowed, as it always has: the slot was taken.
            decisions[index] = caps.scriptDecision(channel: slots[index].channel, reply: (reply.array ?? []).compactMap(\.int)) ?? .allowed
        }
        return decisions
    }

    /// One pipeline of `rate-limit-acquire.lua` on the limiter's key.
    public func acquireRateLimit(_ rateLimit: ChannelRateLimit, count: Int) async throws -> [RateLimitDecision] {
        if count == 0 { return [] }
        let replies = try await connection.pipeline((0..<count).map { _ in
            HeraldScripts.rateLimitAcquire.command(keys: [rateLimit.key], arguments: rateLimit.limiter.acquireArguments(now: nil))
        })
        return try replies.map { reply in
            if case .error(let message) = reply { throw RedisServerError(command: "rate limit", message: message) }
            guard let decision = RateLimitDecision(reply: (reply.array ?? []).compactMap(\.int)) else {
                throw RedisServerError(command: "rate limit", message: "unexpected reply \(reply)")
            }
            return decision
        }
    }

    /// One pipeline of every record's commands, resent until Redis takes it.
    public func record(_ records: [SenderOutcomeRecord], wakeScheduler: Bool) async throws {
        var commands = records.flatMap(commands(for:))
        // A deferral or first retry due in milliseconds should not wait for the scheduler's own next check.
        if wakeScheduler { commands += TimerScheduler.wakeCommands(keyspace) }
        if commands.isEmpty { return }
        let replies = try await connection.pipelineUntilApplied(commands, onRetry: onRecordRetry)
        for (command, reply) in zip(commands, replies) {
            if case .error(let message) = reply { throw RedisServerError(command: "\(command.name) (delivery outcomes)", message: message) }
        }
    }

    /// The commands that write one record.
    func commands(for record: SenderOutcomeRecord) -> [RedisCommand] {
        let request = record.request
        let idempotencyKey = keyspace.idempotency(record.partition, key: request.idempotencyKey)
        var commands: [RedisCommand] = []
        switch record.keyChange {
        case .write(let write)?:
            // No script: the provider accepted, so the key becomes `sent:` whatever it held.
            commands.append(.set(idempotencyKey, to: write.marker.encoded, expiration: .milliseconds(write.retentionMilliseconds)))
        case .release(let consumer)?:
            commands.append(HeraldScripts.idempotencyRelease.command(keys: [idempotencyKey], arguments: [consumer]))
        case nil:
            break
        }
        if record.releasesCapSlot {
            commands.append(HeraldScripts.frequencyCapRelease.command(
                keys: [keyspace.capWindow(record.partition, user: request.userId, channel: request.channel)], arguments: [request.idempotencyKey]))
        }
        if let (rateLimit, retryAfter) = record.rateLimitPenalty {
            commands.append(HeraldScripts.rateLimitPenalize.command(
                keys: [rateLimit.key], arguments: rateLimit.limiter.penalizeArguments(retryAfter: retryAfter, now: nil)))
        }
        if let scheduled = record.scheduled {
            commands += DeferredSend(request: scheduled.request, due: scheduled.at).commands(keyspace, partition: record.partition)
        }
        if let event = record.feedback { commands.append(PartitionInput.feedbackCommand(keyspace: keyspace, event: event)) }
        if let deadLetter = record.deadLetter { commands.append(deadLetter.command(to: keyspace.deadLetter(forStream: deadLetter.stream))) }
        for note in record.trail { commands += trailEntry(note, record: record) }
        if let delivery = record.delivery {
            // Per-channel status counters, summed over partitions by `heraldctl channels stats`.
            commands.append(.hincrby(keyspace.deliveryStats(record.partition), field: "\(request.channel.rawValue):\(delivery.status.rawValue)", by: 1))
            let fields: [(String, any RedisArgument)] = [("status", delivery.status.rawValue)] + delivery.fields.map { ($0.0, $0.1) }
            commands.append(.xadd(keyspace.deliveries(forPartition: record.partition), fields: fields, trim: .maxLength(deliveries.maxLength, approximate: true)))
        }
        return commands
    }

    /// One entry in the user's compact trail, capped and expiring as the evaluator's entries are
    /// (`TrailRetention`), so `heraldctl trail` shows what became of each send.
    private func trailEntry(_ note: SenderOutcomeRecord.TrailNote, record: SenderOutcomeRecord) -> [RedisCommand] {
        let request = record.request
        let entry = TrailRecord.outcome(
            note.code, journey: request.journey, version: request.journeyVersion, instanceId: request.instanceId, step: request.step,
            key: request.idempotencyKey, details: note.details)
        let key = keyspace.trailLog(record.partition, user: request.userId)
        return [
            .lpush(key, [TrailRecord.encodeEntry([entry], atMilliseconds: record.at.unixMilliseconds)]),
            .ltrim(key, keeping: 0, through: trailRetention.maxLength - 1),
            .pexpire(key, milliseconds: trailRetention.maxAgeMilliseconds),
        ]
    }
}
