import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// The evaluator's store in Redis, over one connection: each call is one pipeline (or, for the
/// catalogue and the erasures' sweeps, the few sends it always took), with the fleet's scripts.
public struct RedisEvaluatorStore: EvaluatorStore {
    /// The connection every call uses.
    public let connection: RedisConnection
    let keyspace: Keyspace
    let metrics: Metrics
    let logger: Logger
    let trailRetention: TrailRetention
    let appliedRetention: AppliedInputRetention
    private let registry: JourneyRegistry
    private let feedback: FeedbackWriter
    private let erasure: UserErasure
    private let throttles: EntryThrottleReservations
    private let actions: ActionEffectWriter
    /// How long a forwarded input's or a delivered handover's id is remembered by the target's
    /// partition (the ingestor's default dedupe window).
    static let forwardDedupeWindowMilliseconds = 86_400_000
    /// The most in-app items kept after a fold (the inbox provider's default capacity).
    static let mergedInboxCapacity = 100

    /// Creates the store for one batch's connection.
    public init(
        connection: RedisConnection, keyspace: Keyspace, metrics: Metrics, logger: Logger, trailRetention: TrailRetention = .standard,
        appliedRetention: AppliedInputRetention = .standard, deliveries: DeliveryLogRetention = .standard
    ) {
        self.connection = connection
        self.keyspace = keyspace
        self.metrics = metrics
        self.logger = logger
        self.trailRetention = trailRetention
        self.appliedRetention = appliedRetention
        self.registry = JourneyRegistry(keyspace: keyspace)
        self.feedback = FeedbackWriter(keyspace: keyspace, logger: logger, metrics: metrics, deliveries: deliveries)
        self.erasure = UserErasure(keyspace: keyspace, appliedRetention: appliedRetention)
        self.throttles = EntryThrottleReservations(keyspace: keyspace)
        self.actions = ActionEffectWriter(keyspace: keyspace)
    }

    /// `GET herald:journeys:revision`.
    public func catalogRevision() async throws -> Int64 {
        try await registry.revision(connection: connection)
    }

    /// `HGETALL herald:journeys`.
    public func loadCatalog() async throws -> JourneyCatalog {
        try await registry.load(connection: connection)
    }

    /// One `ZMSCORE {pN}:applied id…` per partition, pipelined. Without an answer an input might be
    /// evaluated twice, so an unexpected reply throws (the batch is retried).
    public func appliedInputs(_ entries: [Int: [String]]) async throws -> Set<String> {
        let partitionOrder = Array(entries.keys)
        let replies = try await connection.pipeline(partitionOrder.map { partition in
            RedisCommand.zmscore(keyspace.appliedInputs(partition), members: (entries[partition] ?? []).map { $0 as any RedisArgument })
        })
        var applied = Set<String>()
        for (partition, reply) in zip(partitionOrder, replies) {
            guard let scores = reply.array else {
                if case .error(let message) = reply { throw RedisServerError(command: "ZMSCORE", message: message) }
                throw RedisServerError(command: "ZMSCORE", message: "unexpected reply for \(keyspace.appliedInputs(partition))")
            }
            for (id, score) in zip(entries[partition] ?? [], scores) where !score.isNull {
                applied.insert(id)
            }
        }
        return applied
    }

    /// `GET` state, `HGETALL` profile, `HKEYS` memberships and `GET` merged-into per user, one pipeline.
    public func load(_ users: [String: Int]) async throws -> [String: EvaluatorUserSnapshot] {
        let userList = Array(users)
        var loads: [RedisCommand] = []
        for (user, partition) in userList {
            loads.append(.get(keyspace.journeyState(partition, user: user)))
            loads.append(.hgetall(keyspace.profile(partition, user: user)))
            loads.append(.hkeys(keyspace.memberships(partition, user: user)))
            loads.append(.get(keyspace.mergedInto(partition, user: user)))
        }
        let loaded = try await connection.pipeline(loads)
        var snapshots: [String: EvaluatorUserSnapshot] = [:]
        for (offset, (user, _)) in userList.enumerated() {
            let merged = loaded[offset * 4 + 3]
            if case .error(let message) = merged { throw RedisServerError(command: "GET merged", message: message) }
            var snapshot = EvaluatorUserSnapshot(state: Self.storedState(loaded[offset * 4]))
            if let target = merged.string, !target.isEmpty { snapshot.mergedInto = target }
            let profileReply = loaded[offset * 4 + 1]
            if case .error(let message) = profileReply { snapshot.profileProblem = message }
            snapshot.profile = JSONValue.traits(fromProfileHash: profileReply)
            let listReply = loaded[offset * 4 + 2]
            if case .error(let message) = listReply { snapshot.membershipsProblem = message }
            snapshot.memberships = ActionEffectWriter.lists(from: listReply)
            snapshots[user] = snapshot
        }
        return snapshots
    }

    /// A journey state `GET` reply as stored.
    static func storedState(_ reply: RESPValue) -> EvaluatorStoredState {
        switch reply {
        case .null: return .none
        case .bulk(let bytes): return .encoded(bytes)
        case .error(let message): return .unreadable(message)
        default: return .unreadable("unexpected GET reply")
        }
    }

    /// One `GET` per user's suppression record, pipelined (`FeedbackWriter.loadSuppressions`).
    public func suppressions(_ users: [String: Int]) async throws -> [String: EvaluatorStoredSuppression] {
        try await feedback.loadSuppressions(users, connection: connection).mapValues { loaded in
            switch loaded {
            case .record(let record): return .record(record)
            case .unreadable(let reason): return .unreadable(reason)
            }
        }
    }

    /// One `entry-throttle.lua` call per request, pipelined (`EntryThrottleReservations`).
    public func reserveEntrySlots(_ requests: [EntrySlotRequest], now: Date) async throws -> [String: Date] {
        try await throttles.reserve(requests, now: now, connection: connection)
    }

    /// One pipeline of `HSET herald:erased:…` for every erasure's surviving suppressions, then per
    /// erasure an inactivity check (`ZSCORE {pN}:activity`) where it has one and the fleet streams' sweep.
    public func prepareErasures(_ erasures: [EvaluatorErasure]) async throws -> [Int?] {
        let surviving = erasures.flatMap { erasure.survivingSuppressions($0.suppressions, profile: $0.profile) }
        for reply in surviving.isEmpty ? [] : try await connection.pipeline(surviving) {
            if case .error(let message) = reply { throw RedisServerError(command: "HSET erased suppression", message: message) }
        }
        var swept: [Int?] = []
        for item in erasures {
            // An inactive user active again (or erased already) keeps their records; the script checks again.
            if let since = item.inactiveSince, !(try await erasure.stillInactive(user: item.user, partition: item.partition, since: since, connection: connection)) {
                swept.append(nil)
                continue
            }
            swept.append(try await erasure.sweepFleetStreams(user: item.user, connection: connection))
        }
        return swept
    }

    /// The writes' scripts in one pipeline (a write with nothing to write is not sent), then the
    /// scheduler's wake commands when asked.
    public func apply(_ writes: [EvaluatorWrite], wakeScheduler: Bool) async throws -> [EvaluatorWriteResult] {
        var results = [EvaluatorWriteResult](repeating: .nothingToWrite, count: writes.count)
        var commands: [RedisCommand] = []
        var positions: [Int] = []
        for (position, write) in writes.enumerated() {
            let command: RedisCommand
            switch write {
            case .effects(let set):
                let operations = self.operations(set)
                if operations.isEmpty { continue }
                command = operations.command(
                    lease: keyspace.lease(set.partition), leaseValue: set.leaseValue,
                    applied: keyspace.appliedInputs(set.partition), entryID: set.entryID,
                    retention: appliedRetention.window, capacity: appliedRetention.capacity)
            case .erasure(let item):
                command = erasure.command(
                    partition: item.partition, user: item.user, leaseValue: item.leaseValue, entryID: item.entryID,
                    inactiveSince: item.inactiveSince, lists: item.lists)
            case .handover(let item):
                command = handoverCommand(item)
            }
            commands.append(command)
            positions.append(position)
        }
        if commands.isEmpty { return results }
        if wakeScheduler { commands += TimerScheduler.wakeCommands(keyspace) }
        let replies = try await connection.pipeline(commands)
        for (position, reply) in zip(positions, replies) {
            results[position] = result(of: writes[position], reply: reply)
        }
        return results
    }

    /// What a write's script answered.
    private func result(of write: EvaluatorWrite, reply: RESPValue) -> EvaluatorWriteResult {
        if case .error(let message) = reply { return .failed(message) }
        switch write {
        case .effects:
            if let word = reply.string { return word == "OK" ? .applied : .skipped(word) }
            return .unrecognized("\(reply)")
        case .erasure(let item):
            if let erased = erasure.erasedFamilies(reply, partition: item.partition, user: item.user) { return .erased(erased) }
            if let word = reply.array?.first?.string { return .skipped(word) }
            return .unrecognized("\(reply)")
        case .handover:
            guard let parts = reply.array else { return .unrecognized("\(reply)") }
            let word = parts.first?.string ?? ""
            return word == "OK" ? .applied : .skipped(word)
        }
    }

    /// `XADD herald:erasures`.
    public func recordErasure(_ record: EvaluatorErasureRecord) async throws {
        try await connection.send(erasure.recordCommand(
            user: record.user, requestedBy: record.requestedBy, request: record.request, erased: record.erased, at: record.at))
    }

    /// One pipeline of `XADD` per record (`FeedbackWriter.appendRecords`).
    public func appendStatusRecords(_ records: [EvaluatorStatusRecord]) async throws {
        try await feedback.appendRecords(records.map(\.record), connection: connection)
    }

    /// One input's `apply-effects.lua` operations, in the order the evaluator always wrote them:
    /// state, effects, fold, feedback, trail.
    func operations(_ set: EvaluatorEffectSet) -> AtomicOperations {
        var operations = AtomicOperations()
        let stateKey = keyspace.journeyState(set.partition, user: set.user)
        switch set.state {
        case .store(let state)?: operations.set(stateKey, state.encoded())
        case .delete?: operations.delete(stateKey)
        case nil: break
        }
        for effect in set.effects {
            add(effect, partition: set.partition, user: set.user, now: set.now, to: &operations)
        }
        if let fold = set.fold {
            self.fold(fold.snapshot, partition: set.partition, user: set.user, suppression: fold.suppression, to: &operations)
        }
        if let writes = set.feedback {
            if let record = writes.suppression {
                operations.set(keyspace.suppression(set.partition, user: set.user), record.json.serialized())
            }
            if let kept = writes.pushTokens {
                operations.hset(keyspace.profile(set.partition, user: set.user), field: "pushTokens", value: kept.serialized())
            }
            if let counted = writes.status {
                operations.hincrbyfloat(keyspace.deliveryStats(set.partition), field: "\(counted.channel.rawValue):\(counted.status.rawValue)", by: 1)
            }
        }
        // One compact trail entry per input, holding all of its decisions in order, bounded by
        // count and age. The key, and the older stream form if the user has one, expire when
        // the user stays inactive for the age.
        if !set.trail.isEmpty {
            let key = keyspace.trailLog(set.partition, user: set.user)
            let nowMilliseconds = set.now.unixMilliseconds
            operations.lpushCapped(key, maxLength: trailRetention.maxLength, value: TrailRecord.encodeEntry(set.trail, atMilliseconds: nowMilliseconds))
            operations.ltrimAge(key, minimumMilliseconds: nowMilliseconds - trailRetention.maxAgeMilliseconds)
            operations.pexpire(key, milliseconds: trailRetention.maxAgeMilliseconds)
            operations.pexpire(keyspace.trail(set.partition, user: set.user), milliseconds: trailRetention.maxAgeMilliseconds)
        }
        return operations
    }

    /// Adds one effect's writes.
    private func add(_ effect: JourneyEffect, partition: Int, user: String, now: Date, to operations: inout AtomicOperations) {
        switch effect {
        case .send(let request):
            operations.xadd(keyspace.outbox(partition, request.channel), fields: [("request", request.json.serialized())])
        case .scheduleTimer(let timer):
            operations.zadd(keyspace.timers(partition), score: timer.dueAt.unixMilliseconds, member: timer.id)
            // A compact member describes the timer whole; only other ids need their payload.
            if !timer.isDescribedByMember {
                operations.hset(keyspace.timerPayloads(partition), field: timer.id, value: timer.json.serialized())
            }
        case .cancelTimer(let id):
            operations.zrem(keyspace.timers(partition), member: id)
            operations.hdel(keyspace.timerPayloads(partition), field: id)
        case .trail:
            // Carried by the set's trail, written as one entry.
            break
        case .stat(let journey, let step, let counter, let delta):
            operations.hincrbyfloat(keyspace.journeyStats(partition, journey: journey), field: "\(step ?? "_"):\(counter.rawValue)", by: delta)
        case .groupStat(let journey, let group, let counter, let delta):
            operations.hincrbyfloat(keyspace.experimentStats(partition, journey: journey), field: "\(group):\(counter.rawValue)", by: delta)
        case .updateProfile, .updateLists:
            actions.apply(effect, partition: partition, user: user, now: now, to: &operations)
        }
    }
}
