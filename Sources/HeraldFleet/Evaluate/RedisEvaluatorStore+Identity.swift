import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// An identity merge's writes in Redis (docs/journeys.md, "Identity merge"): the source
/// partition's handover (`handover.lua`), the delivery of its snapshot to the target's partition,
/// the forwarding of a merged identity's later inputs, and the target's fold.
extension RedisEvaluatorStore {
    /// The `handover.lua` call that snapshots and tombstones the handover's user for its target,
    /// fenced by its lease value and recorded as its input.
    static func handoverCommand(
        _ item: EvaluatorHandover, keyspace: Keyspace, appliedRetention: AppliedInputRetention, trailRetention: TrailRetention
    ) -> RedisCommand {
        let partition = item.partition, user = item.user
        let channels = Channel.allCases
        let keys = [
            keyspace.lease(partition), keyspace.appliedInputs(partition), keyspace.mergedInto(partition, user: user), keyspace.handovers(partition),
            keyspace.handover(partition, id: item.mergeId), keyspace.timers(partition), keyspace.timerPayloads(partition), keyspace.activity(partition),
            keyspace.journeyState(partition, user: user), keyspace.profile(partition, user: user), keyspace.suppression(partition, user: user),
            keyspace.inbox(partition, user: user), keyspace.inboxUnread(partition, user: user), keyspace.trailLog(partition, user: user),
            keyspace.trail(partition, user: user),
        ] + channels.map { keyspace.capWindow(partition, user: user, channel: $0) }
        // The user's timers are the ones its state waits for: each instance's and each trigger's
        // (both trigger kinds: a journey no longer published leaves no way to tell which).
        var timerIds = item.state.instances.compactMap(\.waiting?.timerId)
        for journey in item.state.timers.keys.sorted() {
            timerIds += [JourneyTimerKind.inactivity, .date].map { JourneyTimer.triggerTimerId(user: user, journey: journey, kind: $0) }
        }
        let entryMilliseconds = Int64(item.entryID.prefix { $0 != "-" }) ?? 0
        let arguments: [any RedisArgument] = [
            item.leaseValue, item.entryID, entryMilliseconds, appliedRetention.windowMilliseconds, appliedRetention.capacity, user, item.into, item.mergeId,
            trailRetention.maxAgeMilliseconds, item.now.unixMilliseconds, channels.count,
        ] + channels.map { $0.rawValue as any RedisArgument } + timerIds.map { $0 as any RedisArgument }
        return HeraldScripts.handover.command(keys: keys, arguments: arguments)
    }

    /// This store's `handover.lua` call for `item`.
    func handoverCommand(_ item: EvaluatorHandover) -> RedisCommand {
        Self.handoverCommand(item, keyspace: keyspace, appliedRetention: appliedRetention, trailRetention: trailRetention)
    }

    /// Delivers each pending handover snapshot to its target's partition stream (deduplicated by
    /// merge id), then deletes it. Safe to repeat: a snapshot already delivered and deleted is
    /// gone, one delivered but not yet deleted is dropped as a repeat by the target's dedupe set
    /// and, past that, folded once by the target's state (`UserJourneyState.merges`).
    public func deliverHandovers(_ pending: [EvaluatorPendingHandover]) async throws {
        if pending.isEmpty { return }
        let stored = try await connection.pipeline(pending.map { RedisCommand.hgetall(keyspace.handover($0.partition, id: $0.mergeId)) })
        var deliveries: [RedisCommand] = []
        var cleanups: [RedisCommand] = []
        let now = Date().unixMilliseconds
        for (item, reply) in zip(pending, stored) {
            if case .error(let message) = reply { throw RedisServerError(command: "HGETALL handover", message: message) }
            let parts = reply.array ?? []
            var fields: [(String, [UInt8])] = []
            var index = 0
            while index + 1 < parts.count {
                fields.append((parts[index].bytes.map { String(decoding: $0, as: UTF8.self) } ?? "", parts[index + 1].bytes ?? []))
                index += 2
            }
            if !fields.isEmpty {
                guard let snapshot = IdentitySnapshot(fields: fields) else {
                    // Kept for an operator: it names no target, so there is nowhere to deliver it.
                    logger.error("handover snapshot without its ids; kept", ["partition": .number(Double(item.partition)), "mergeId": .string(item.mergeId)])
                    continue
                }
                deliveries.append(PartitionInput.mergeCommand(
                    keyspace: keyspace, snapshot: snapshot, nowMilliseconds: now, dedupeWindowMilliseconds: Self.forwardDedupeWindowMilliseconds))
            }
            cleanups.append(.del([keyspace.handover(item.partition, id: item.mergeId)]))
            cleanups.append(.zrem(keyspace.handovers(item.partition), members: [item.mergeId]))
        }
        for reply in try await connection.pipeline(deliveries) {
            if case .error(let message) = reply { throw RedisServerError(command: "XADD merge", message: message) }
        }
        for reply in try await connection.pipeline(cleanups) {
            if case .error(let message) = reply { throw RedisServerError(command: "DEL handover", message: message) }
        }
        if !deliveries.isEmpty { metrics.increment(.identityHandovers, by: Double(deliveries.count)) }
    }

    /// The forwarded inputs in one pipeline; a forward Redis refuses is reported (and retried by
    /// the caller: the target's dedupe set drops a repeat).
    public func forward(_ inputs: [EvaluatorForward], now: Date) async throws -> [String?] {
        if inputs.isEmpty { return [] }
        let replies = try await connection.pipeline(inputs.map { forwardCommand($0, now: now) })
        return replies.map { reply in
            if case .error(let message) = reply { return message }
            return nil
        }
    }

    /// The write that forwards an input of a merged identity to its target's partition.
    func forwardCommand(_ input: EvaluatorForward, now: Date) -> RedisCommand {
        switch input {
        case .event(var event, let fromHerald, let target):
            // The event now names the known user; its anonymous id stays as it was sent. It is
            // deduplicated under its own id prefixed, as the target's partition may be this one,
            // whose dedupe set holds the id already.
            let dedupeId = "forward:" + event.messageId
            event.userId = target
            if fromHerald {
                let partition = keyspace.partition(ofUser: target)
                let fields = PartitionInput.feedback(event).fields.flatMap { [$0.0 as any RedisArgument, $0.1] }
                return HeraldScripts.feedback.command(
                    keys: [keyspace.dedupe(partition), keyspace.events(partition)],
                    arguments: [dedupeId, now.unixMilliseconds, Self.forwardDedupeWindowMilliseconds] + fields)
            }
            return IngestHandler.acceptCommand(
                event, keyspace: keyspace, now: now.unixMilliseconds, dedupeWindowMilliseconds: Self.forwardDedupeWindowMilliseconds,
                dedupeCapacity: 100_000, dedupeId: dedupeId)
        case .merge(let snapshot):
            return PartitionInput.mergeCommand(
                keyspace: keyspace, snapshot: snapshot, nowMilliseconds: now.unixMilliseconds,
                dedupeWindowMilliseconds: Self.forwardDedupeWindowMilliseconds)
        }
    }

    /// The fold of a snapshot's keys into `user`'s, written with the merge's state: profile gaps
    /// filled (the target's traits win), suppressions united, cap windows added together (so the
    /// merge opens no extra sends), inbox and trail merged by time, unread counts added, the later
    /// activity kept.
    func fold(_ snapshot: IdentitySnapshot, partition: Int, user: String, suppression: SuppressionRecord?, to operations: inout AtomicOperations) {
        let profileKey = keyspace.profile(partition, user: user)
        for (trait, value) in snapshot.profile.sorted(by: { $0.key < $1.key }) { operations.hsetnx(profileKey, field: trait, value: value) }
        if let suppression, snapshot.suppression != nil {
            operations.set(keyspace.suppression(partition, user: user), suppression.json.serialized())
        }
        for (channel, members) in snapshot.caps.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !members.isEmpty {
            let key = keyspace.capWindow(partition, user: user, channel: channel)
            for (member, at) in members.sorted(by: { $0.key < $1.key }) { operations.zadd(key, score: at, member: member) }
            operations.pexpireLonger(key, milliseconds: max(1, snapshot.capTimeToLive[channel] ?? 86_400_000))
        }
        if !snapshot.inbox.isEmpty {
            operations.listMerge(keyspace.inbox(partition, user: user), maxLength: Self.mergedInboxCapacity, order: .jsonAt, values: snapshot.inbox)
        }
        if snapshot.unread != 0 { operations.incrby(keyspace.inboxUnread(partition, user: user), by: snapshot.unread) }
        if !snapshot.trail.isEmpty {
            let key = keyspace.trailLog(partition, user: user)
            operations.listMerge(key, maxLength: trailRetention.maxLength, order: .leadingMilliseconds, values: snapshot.trail)
            operations.pexpire(key, milliseconds: trailRetention.maxAgeMilliseconds)
        }
        if let activity = snapshot.activity { operations.zaddGreater(keyspace.activity(partition), score: activity, member: user) }
    }
}
