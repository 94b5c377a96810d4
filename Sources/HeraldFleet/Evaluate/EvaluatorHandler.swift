import Foundation
import HeraldCore
import HeraldJourneys
import Synchronization

/// Evaluates each partition input (an accepted event or a fired timer) against the published
/// journeys and applies its effects: the pure `JourneyEngine` decides, and one fenced, idempotent
/// `apply-effects.lua` call per input writes the new state, timers, send requests, trail and stats.
public final class EvaluatorHandler: StreamBatchHandler {
    private let keyspace: Keyspace
    private let leases: PartitionLeases
    private let registry: JourneyRegistry
    private let metrics: Metrics
    private let logger: Logger
    private let catalog = Mutex<(revision: Int64, catalog: JourneyCatalog, checkedAt: ContinuousClock.Instant?)>((-1, JourneyCatalog(journeys: []), nil))
    private let refreshInterval: Duration
    private let partitionsByStream: [RedisKey: Int]
    private let feedback: FeedbackWriter

    /// Trail stream entries (one per input) kept per user.
    public static let trailLength = 500

    /// Creates a handler.
    public init(keyspace: Keyspace, leases: PartitionLeases, metrics: Metrics, logger: Logger, refreshInterval: Duration = .seconds(1)) {
        self.keyspace = keyspace
        self.leases = leases
        self.registry = JourneyRegistry(keyspace: keyspace)
        self.metrics = metrics
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.partitionsByStream = Dictionary(uniqueKeysWithValues: keyspace.allPartitions.map { (keyspace.events($0), $0) })
        self.feedback = FeedbackWriter(keyspace: keyspace, logger: logger, metrics: metrics)
    }

    /// One parsed input.
    private struct Input {
        var entry: StreamEntry
        var partition: Int
        var user: String
        var kind: Kind
        enum Kind {
            case event(Event)
            case timer(JourneyTimer)
            case refresh

            var label: String {
                switch self {
                case .event: return "event"
                case .timer: return "timer"
                case .refresh: return "refresh"
                }
            }
        }
    }

    /// Why a stream entry is not a usable input.
    private struct UnusableInput: Error {
        var reason: String
    }

    /// Evaluates a batch in stream order and applies each input's effects with one pipelined round trip.
    public func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
        // A refresh follows a publish: it must see that publish, not a catalog up to a second old.
        let catalog = try await currentCatalog(connection, force: entries.contains { $0["kind"] == "refresh" })
        var outcomes = [EntryOutcome](repeating: .done, count: entries.count)
        var inputs: [(Int, Input)] = []
        for (position, entry) in entries.enumerated() {
            guard let partition = partition(of: entry.stream) else {
                outcomes[position] = .deadLetter(reason: "not a partition events stream: \(entry.stream)")
                continue
            }
            switch parse(entry, partition: partition) {
            case .success(let input): inputs.append((position, input))
            case .failure(let unusable): outcomes[position] = .deadLetter(reason: unusable.reason)
            }
        }
        if inputs.isEmpty { return outcomes }

        // An input applied before (a redelivery after a crash or a lease handover) is acknowledged
        // without evaluating it again: the stored state already holds its effects.
        let byPartition = Dictionary(grouping: inputs, by: { $0.1.partition })
        let partitionOrder = Array(byPartition.keys)
        let appliedReplies = try await connection.pipeline(partitionOrder.map { partition in
            RedisCommand("ZMSCORE", [keyspace.appliedInputs(partition) as any RedisArgument] + byPartition[partition]!.map { $0.1.entry.id as any RedisArgument })
        })
        var alreadyApplied = Set<String>()
        for (partition, reply) in zip(partitionOrder, appliedReplies) {
            for (input, score) in zip(byPartition[partition]!, reply.array ?? []) where !score.isNull {
                alreadyApplied.insert(input.1.entry.id)
            }
        }
        if !alreadyApplied.isEmpty {
            metrics.increment("herald_evaluations_skipped_total", by: Double(alreadyApplied.count), help: "Redelivered inputs that were applied before")
            inputs.removeAll { alreadyApplied.contains($0.1.entry.id) }
            if inputs.isEmpty { return outcomes }
        }

        // Load every user's state and profile once for the batch.
        var users: [String: Int] = [:]
        for (_, input) in inputs { users[input.user] = input.partition }
        let userList = Array(users.keys)
        var loads: [RedisCommand] = []
        for user in userList {
            let partition = users[user]!
            loads.append(RedisCommand("GET", [keyspace.journeyState(partition, user: user)]))
            loads.append(RedisCommand("HGETALL", [keyspace.profile(partition, user: user)]))
        }
        let loaded = try await connection.pipeline(loads)
        var states: [String: UserJourneyState] = [:]
        var profiles: [String: [String: JSONValue]] = [:]
        for (offset, user) in userList.enumerated() {
            let stateBytes = loaded[offset * 2].bytes ?? []
            states[user] = (try? UserJourneyState(decoding: stateBytes, userId: user)) ?? UserJourneyState(userId: user)
            profiles[user] = JSONValue.traits(fromProfileHash: loaded[offset * 2 + 1])
        }
        // Feedback events (docs/delivery.md) change suppression records: load the ones they touch.
        var suppressions = try await feedback.loadSuppressions(feedback.feedbackUsers(inputs.compactMap { _, input in
            if case .event(let event) = input.kind { return (event, input.partition) }
            return nil
        }), connection: connection)
        var statusRecords: [Int: FeedbackWriter.StatusRecord] = [:]

        let owned = leases.owned
        var commands: [RedisCommand] = []
        var commandPositions: [Int] = []
        var wakeScheduler = false
        let now = Date()
        for (position, input) in inputs {
            guard let leaseValue = owned[input.partition] else {
                outcomes[position] = .retry(reason: "partition \(input.partition) is not leased by this evaluator")
                continue
            }
            let before = states[input.user]!
            let engineInput: JourneyInput
            switch input.kind {
            case .event(let event): engineInput = .event(event, profile: profiles[input.user] ?? [:])
            case .timer(let timer): engineInput = .timer(timer, profile: profiles[input.user] ?? [:])
            case .refresh: engineInput = .refresh(userId: input.user, profile: profiles[input.user] ?? [:])
            }
            let evaluation = JourneyEngine.evaluate(before, input: engineInput, now: now, catalog: catalog)
            states[input.user] = evaluation.state
            var operations = AtomicOperations()
            if evaluation.state != before {
                let stateKey = keyspace.journeyState(input.partition, user: input.user)
                if evaluation.state.isEmpty { operations.delete(stateKey) } else { operations.set(stateKey, evaluation.state.encoded()) }
            }
            var trail: [JSONValue] = []
            for effect in evaluation.effects {
                if case .trail(let entry) = effect {
                    trail.append(entry.json)
                } else if apply(effect, partition: input.partition, user: input.user, now: now, to: &operations) {
                    wakeScheduler = true
                }
            }
            // One trail entry per input, holding all of its decisions in order.
            if !trail.isEmpty {
                operations.xadd(keyspace.trail(input.partition, user: input.user), maxLength: Self.trailLength, fields: [("entries", JSONValue.array(trail).serialized())])
            }
            var statusRecord: FeedbackWriter.StatusRecord?
            if case .event(let event) = input.kind {
                var suppression = suppressions[input.user]
                var profile = profiles[input.user] ?? [:]
                statusRecord = feedback.apply(event, partition: input.partition, user: input.user, suppression: &suppression, profile: &profile, now: now, to: &operations)
                suppressions[input.user] = suppression
                profiles[input.user] = profile
            }
            metrics.increment("herald_evaluations_total", labels: ["input": input.kind.label], help: "Inputs evaluated")
            if operations.isEmpty { continue }
            if let statusRecord { statusRecords[commands.count] = statusRecord }
            commands.append(operations.command(
                lease: keyspace.lease(input.partition), leaseValue: leaseValue,
                applied: keyspace.appliedInputs(input.partition), entryID: input.entry.id))
            commandPositions.append(position)
        }
        if commands.isEmpty { return outcomes }
        if wakeScheduler {
            commands += TimerScheduler.wakeCommands(keyspace)
        }
        let replies = try await connection.pipeline(commands)
        for (position, reply) in zip(commandPositions, replies) {
            if case .error(let message) = reply {
                outcomes[position] = .retry(reason: message)
                if message.hasPrefix("FENCED") {
                    metrics.increment("herald_evaluations_fenced_total", help: "Writes refused because the partition lease moved")
                }
            }
        }
        // Feedback status records go to the fleet-wide deliveries stream only for inputs whose
        // script applied now (`OK`; a redelivered input answers `SKIP`), so each is written once.
        let applied = statusRecords.keys.sorted().filter { replies[$0].string == "OK" }.compactMap { statusRecords[$0] }
        if !applied.isEmpty { _ = try await connection.pipeline(feedback.recordCommands(applied)) }
        return outcomes
    }

    /// Adds one effect's writes; returns whether it scheduled a timer due soon (wake the scheduler).
    private func apply(_ effect: JourneyEffect, partition: Int, user: String, now: Date, to operations: inout AtomicOperations) -> Bool {
        switch effect {
        case .send(let request):
            operations.xadd(keyspace.outbox(partition, request.channel), fields: [("request", request.json.serialized())])
            metrics.increment("herald_sends_requested_total", labels: ["channel": request.channel.rawValue], help: "Send requests put on channel streams")
        case .scheduleTimer(let timer):
            operations.zadd(keyspace.timers(partition), score: Int64((timer.dueAt.timeIntervalSince1970 * 1000).rounded()), member: timer.id)
            operations.hset(keyspace.timerPayloads(partition), field: timer.id, value: timer.json.serialized())
            return timer.dueAt.timeIntervalSince(now) < TimerScheduler.wakeHorizon
        case .cancelTimer(let id):
            operations.zrem(keyspace.timers(partition), member: id)
            operations.hdel(keyspace.timerPayloads(partition), field: id)
        case .trail:
            // Collected per input by the caller and written as one entry.
            break
        case .stat(let journey, let step, let counter, let delta):
            operations.hincrbyfloat(keyspace.journeyStats(partition, journey: journey), field: "\(step ?? "_"):\(counter.rawValue)", by: delta)
        }
        return false
    }

    private func parse(_ entry: StreamEntry, partition: Int) -> Result<Input, UnusableInput> {
        switch entry["kind"] {
        case "event":
            guard let bytes = entry.bytes("event"), case .object(let members)? = try? JSONValue.parse(bytes) else {
                return .failure(UnusableInput(reason: "event entry without a JSON object"))
            }
            do {
                let event = try Event.validate(members: members)
                return .success(Input(entry: entry, partition: partition, user: event.userKey, kind: .event(event)))
            } catch {
                return .failure(UnusableInput(reason: "invalid event: \(error)"))
            }
        case "timer":
            guard let bytes = entry.bytes("timer"), let json = try? JSONValue.parse(bytes), let timer = JourneyTimer(json: json) else {
                return .failure(UnusableInput(reason: "timer entry without a valid timer payload"))
            }
            return .success(Input(entry: entry, partition: partition, user: timer.userId, kind: .timer(timer)))
        case "refresh":
            guard let user = entry["user"], !user.isEmpty else { return .failure(UnusableInput(reason: "refresh entry without a user")) }
            return .success(Input(entry: entry, partition: partition, user: user, kind: .refresh))
        default:
            return .failure(UnusableInput(reason: "unknown input kind '\(entry["kind"] ?? "")'"))
        }
    }

    private func partition(of stream: RedisKey) -> Int? {
        partitionsByStream[stream]
    }

    private func currentCatalog(_ connection: RedisConnection, force: Bool = false) async throws -> JourneyCatalog {
        let snapshot = catalog.withLock { $0 }
        if !force, let checkedAt = snapshot.checkedAt, ContinuousClock.now - checkedAt < refreshInterval { return snapshot.catalog }
        let revision = try await registry.revision(connection: connection)
        if revision == snapshot.revision {
            catalog.withLock { $0.checkedAt = ContinuousClock.now }
            return snapshot.catalog
        }
        let fresh = try await registry.load(connection: connection)
        catalog.withLock { $0 = (revision, fresh, ContinuousClock.now) }
        logger.info("journeys loaded", ["revision": .number(Double(revision)), "journeys": .array(fresh.ids.map { .string($0) })])
        return fresh
    }

}
