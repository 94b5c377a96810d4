import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys
import Synchronization

/// Evaluates each partition input (`PartitionInput`: an accepted event, Herald's own feedback, a
/// fired timer or a refresh) against the published journeys and applies its effects: the pure
/// `JourneyEngine` decides, and one fenced, idempotent `apply-effects.lua` call per input writes
/// the new state, timers, send requests, trail, stats and feedback.
public final class EvaluatorHandler: StreamBatchHandler {
    let keyspace: Keyspace
    private let leases: PartitionLeases
    private let registry: JourneyRegistry
    let metrics: Metrics
    let logger: Logger
    private let catalog = Mutex<(revision: Int64, catalog: JourneyCatalog, checkedAt: ContinuousClock.Instant?)>((-1, JourneyCatalog(journeys: []), nil))
    private let refreshInterval: Duration
    private let partitionsByStream: [RedisKey: Int]
    private let feedback: FeedbackWriter
    private let erasure: UserErasure
    private let throttles: EntryThrottleReservations
    private let actions: ActionEffectWriter

    let trailRetention: TrailRetention
    let appliedRetention: AppliedInputRetention
    /// How long a forwarded input's or a delivered handover's id is remembered by the target's
    /// partition (the ingestor's default dedupe window).
    let forwardDedupeWindowMilliseconds = 86_400_000

    /// Trail entries (one per input, and one per send outcome) kept per user by default (`TrailRetention`).
    public static let trailLength = TrailRetention.standard.maxLength

    /// Creates a handler.
    public init(
        keyspace: Keyspace, leases: PartitionLeases, metrics: Metrics, logger: Logger, refreshInterval: Duration = .seconds(1),
        trailRetention: TrailRetention = .standard, appliedRetention: AppliedInputRetention = .standard,
        deliveries: DeliveryLogRetention = .standard
    ) {
        self.trailRetention = trailRetention
        self.appliedRetention = appliedRetention
        self.keyspace = keyspace
        self.leases = leases
        self.registry = JourneyRegistry(keyspace: keyspace)
        self.metrics = metrics
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.partitionsByStream = Dictionary(uniqueKeysWithValues: keyspace.allPartitions.map { (keyspace.events($0), $0) })
        self.feedback = FeedbackWriter(keyspace: keyspace, logger: logger, metrics: metrics, deliveries: deliveries)
        self.erasure = UserErasure(keyspace: keyspace, appliedRetention: appliedRetention)
        self.throttles = EntryThrottleReservations(keyspace: keyspace)
        self.actions = ActionEffectWriter(keyspace: keyspace)
    }

    /// One parsed input.
    struct Input {
        var entry: StreamEntry
        var partition: Int
        var user: String
        var kind: Kind
        /// The feedback it applies besides its journey effects (`FeedbackWriter.plan`).
        var feedback: DeliveryFeedback?

        /// Whether it folds another identity's snapshot in.
        var isMerge: Bool {
            if case .merge = kind { return true }
            return false
        }

        /// Whether it asks to erase the user (`UserErasure.eventName` from a producer).
        var isErasure: Bool {
            guard case .event(let event, let fromHerald) = kind, !fromHerald else { return false }
            return event.type == .track && event.event == UserErasure.eventName
        }

        enum Kind {
            case event(Event, fromHerald: Bool)
            case timer(JourneyTimer)
            case refresh
            /// Hand this user over to `into` (the source side of an identity merge).
            case handover(into: String, mergeId: String)
            /// Fold another identity's snapshot into this user (the target side).
            case merge(IdentitySnapshot)

            var label: String {
                switch self {
                case .event(_, let fromHerald): return fromHerald ? "feedback" : "event"
                case .timer: return "timer"
                case .refresh: return "refresh"
                case .handover: return "handover"
                case .merge: return "merge"
                }
            }
        }
    }

    /// Evaluates a batch in stream order and applies each input's effects with one pipelined round trip.
    ///
    /// Stored data that cannot be read is never replaced by a default: an input whose user's journey
    /// state or profile cannot be read, or whose feedback would change an unreadable suppression
    /// record, is dead-lettered with a reason naming the user and partition, and the stored bytes
    /// stay as they are. Dead-letter rather than retry: corrupt data does not heal by itself, so a
    /// retry would only delay the same verdict by `HERALD_MAX_DELIVERIES` claim timeouts and end with
    /// a reason that no longer says why. Each later input of that user meets the same check, so
    /// nothing is applied over the corrupt data until an operator repairs or deletes it and replays
    /// the dead-lettered entries (kept verbatim as `original.*`). Other users' inputs go on.
    public func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
        // A refresh follows a publish: it must see that publish, not a catalog up to a second old.
        let catalog = try await currentCatalog(connection, force: entries.contains { $0["kind"] == PartitionInput.Kind.refresh.rawValue })
        var outcomes = [EntryOutcome](repeating: .done, count: entries.count)
        var inputs: [(Int, Input)] = []
        for (position, entry) in entries.enumerated() {
            switch parse(entry) {
            case .success(let input): inputs.append((position, input))
            case .failure(let unusable): outcomes[position] = refuse(unusable)
            }
        }
        if inputs.isEmpty { return outcomes }

        // An input applied before (a redelivery after a crash or a lease handover) is acknowledged
        // without evaluating it again: the stored state already holds its effects.
        let byPartition = Dictionary(grouping: inputs, by: { $0.1.partition })
        let partitionOrder = Array(byPartition.keys)
        let appliedReplies = try await connection.pipeline(partitionOrder.map { partition in
            RedisCommand("ZMSCORE", [keyspace.appliedInputs(partition) as any RedisArgument] + (byPartition[partition] ?? []).map { $0.1.entry.id as any RedisArgument })
        })
        var alreadyApplied = Set<String>()
        for (partition, reply) in zip(partitionOrder, appliedReplies) {
            // Without the answer, an input might be evaluated twice: fail the batch so it is retried.
            guard let scores = reply.array else {
                if case .error(let message) = reply { throw RedisServerError(command: "ZMSCORE", message: message) }
                throw RedisServerError(command: "ZMSCORE", message: "unexpected reply for \(keyspace.appliedInputs(partition))")
            }
            for (input, score) in zip(byPartition[partition] ?? [], scores) where !score.isNull {
                alreadyApplied.insert(input.1.entry.id)
            }
        }
        // A handover applied before may not have reached its target yet (a crash in between): its
        // snapshot is delivered again after this batch's writes (`deliverHandovers` is idempotent).
        var pendingHandovers: [(partition: Int, mergeId: String)] = []
        for (_, input) in inputs where alreadyApplied.contains(input.entry.id) {
            if case .handover(_, let mergeId) = input.kind { pendingHandovers.append((input.partition, mergeId)) }
        }
        if !alreadyApplied.isEmpty {
            metrics.increment(.evaluationsSkipped, by: Double(alreadyApplied.count))
            inputs.removeAll { alreadyApplied.contains($0.1.entry.id) }
            if inputs.isEmpty {
                try await deliverHandovers(pendingHandovers, connection: connection)
                return outcomes
            }
        }

        // Planned after the redelivery check, so a refused or invalid feedback event is logged and
        // counted once, not again on each redelivery.
        for index in inputs.indices {
            guard case .event(let event, let fromHerald) = inputs[index].1.kind else { continue }
            inputs[index].1.feedback = feedback.plan(for: event, fromHerald: fromHerald, user: inputs[index].1.user)
        }

        // Load every user's state, profile and list memberships once for the batch.
        var users: [String: Int] = [:]
        for (_, input) in inputs { users[input.user] = input.partition }
        let userList = Array(users)
        var loads: [RedisCommand] = []
        for (user, partition) in userList {
            loads.append(RedisCommand("GET", [keyspace.journeyState(partition, user: user)]))
            loads.append(RedisCommand("HGETALL", [keyspace.profile(partition, user: user)]))
            loads.append(RedisCommand("HKEYS", [keyspace.memberships(partition, user: user)]))
            loads.append(RedisCommand("GET", [keyspace.mergedInto(partition, user: user)]))
        }
        let loaded = try await connection.pipeline(loads)
        var states: [String: UserJourneyState] = [:]
        var profiles: [String: [String: JSONValue]] = [:]
        var memberships: [String: Set<String>] = [:]
        var unreadable: [String: EvaluatorInputError] = [:]
        // Identities merged into another user (their tombstone): their inputs are forwarded there,
        // after the handover that tombstoned them when it is in this batch (its command index).
        var mergedInto: [String: (target: String, handoverCommand: Int?)] = [:]
        for (offset, (user, partition)) in userList.enumerated() {
            switch Self.state(loaded[offset * 4], user: user, partition: partition) {
            case .success(let state): states[user] = state
            case .failure(let error): unreadable[user] = error
            }
            if case .error(let message) = loaded[offset * 4 + 3] { throw RedisServerError(command: "GET merged", message: message) }
            if let target = loaded[offset * 4 + 3].string, !target.isEmpty { mergedInto[user] = (target, nil) }
            let profileReply = loaded[offset * 4 + 1]
            if case .error(let message) = profileReply, unreadable[user] == nil {
                unreadable[user] = .unreadableProfile(user: user, partition: partition, reason: message)
            }
            profiles[user] = JSONValue.traits(fromProfileHash: profileReply)
            // Without its memberships an input could join a list twice or miss an inList: not evaluated.
            let listReply = loaded[offset * 4 + 2]
            if case .error(let message) = listReply, unreadable[user] == nil {
                unreadable[user] = .unreadableProfile(user: user, partition: partition, reason: "list memberships: \(message)")
            }
            memberships[user] = ActionEffectWriter.lists(from: listReply)
        }
        // Feedback that changes suppression records (docs/delivery.md): load the ones it touches.
        var suppressionUsers: [String: Int] = [:]
        for (_, input) in inputs where !(input.feedback?.suppressionUpdates.isEmpty ?? true) || input.isErasure || input.isMerge {
            suppressionUsers[input.user] = input.partition
        }
        var suppressions = try await feedback.loadSuppressions(suppressionUsers, connection: connection)
        var statusRecords: [Int: FeedbackWriter.StatusRecord] = [:]
        // Erasures: their script's command index, and the suppressions that survive them, written first.
        var erasures: [Int: (input: Input, requestedBy: String, inactiveSince: Int64?)] = [:]
        var surviving: [RedisCommand] = []
        // Handovers taken in this batch (command index, partition, merge id), and inputs of merged
        // identities to forward once the handover before them is delivered.
        var handovers: [(command: Int, partition: Int, mergeId: String)] = []
        var forwards: [(position: Int, command: RedisCommand?, after: Int?)] = []

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
            if let merged = mergedInto[input.user] {
                // Merged into another user: the input belongs to them now (docs/journeys.md, "Identity merge").
                let command = forwardCommand(input.kind, to: merged.target, now: now)
                forwards.append((position, command, merged.handoverCommand))
                metrics.increment(.identityForwarded, ["outcome": command == nil ? "dropped" : "forwarded"])
                if case .handover(let into, _) = input.kind, into != merged.target {
                    logger.warning("identity already merged into another user; not merged again", [
                        "partition": .number(Double(input.partition)), "user": .string(input.user), "mergedInto": .string(merged.target), "asked": .string(into),
                    ])
                }
                continue
            }
            if input.isErasure, case .event(let event, _) = input.kind {
                // Erased whatever the stored data holds (unreadable state included), but never
                // without keeping the user's suppressions: an unreadable record is refused.
                guard case .record(let record)? = suppressions[input.user] else {
                    outcomes[position] = refuse(.unreadableSuppression(user: input.user, partition: input.partition, event: UserErasure.eventName, reason: "needed to keep the user's suppressions through an erasure"))
                    continue
                }
                surviving += erasure.survivingSuppressions(record, profile: profiles[input.user] ?? [:])
                // An inactive user's erasure (`InactivitySweep`) holds only while they stay inactive.
                let inactiveSince = event.properties["inactiveSince"]?.numberValue.map { Int64($0) }
                erasures[commands.count] = (input, event.properties["requestedBy"]?.stringValue ?? "event \(event.messageId)", inactiveSince)
                commands.append(erasure.command(
                    partition: input.partition, user: input.user, leaseValue: leaseValue, entryID: input.entry.id, inactiveSince: inactiveSince,
                    lists: (memberships[input.user] ?? []).sorted()))
                commandPositions.append(position)
                // Later inputs of this batch start from nothing, as they will once this is applied.
                states[input.user] = UserJourneyState(userId: input.user)
                profiles[input.user] = [:]
                memberships[input.user] = []
                suppressions[input.user] = .record(SuppressionRecord())
                unreadable[input.user] = nil
                metrics.increment(.evaluations, ["input": "erasure"])
                continue
            }
            if let error = unreadable[input.user] {
                outcomes[position] = refuse(error)
                continue
            }
            guard let before = states[input.user] else {
                outcomes[position] = .retry(reason: "journey state of user '\(input.user)' was not loaded")
                continue
            }
            if case .handover(let into, let mergeId) = input.kind {
                handovers.append((commands.count, input.partition, mergeId))
                commands.append(handoverCommand(
                    partition: input.partition, user: input.user, into: into, mergeId: mergeId, state: before, leaseValue: leaseValue,
                    entryID: input.entry.id, now: now))
                commandPositions.append(position)
                // Later inputs of this batch for the user follow it, as they will once it is applied.
                mergedInto[input.user] = (into, commands.count - 1)
                states[input.user] = UserJourneyState(userId: input.user)
                profiles[input.user] = [:]
                metrics.increment(.evaluations, ["input": input.kind.label])
                continue
            }
            var profile = profiles[input.user] ?? [:]
            var lists = memberships[input.user] ?? []
            var evaluation: JourneyEvaluation
            var engineInput: JourneyInput?
            var fold: (snapshot: IdentitySnapshot, suppression: SuppressionRecord?)?
            switch input.kind {
            case .merge(let snapshot):
                let source: UserJourneyState
                do {
                    source = try UserJourneyState(decoding: snapshot.state ?? [], userId: snapshot.from)
                } catch {
                    outcomes[position] = refuse(.unreadableState(user: snapshot.from, partition: input.partition, reason: "in the handover to \(input.user): \(error.description)"))
                    continue
                }
                var suppression: SuppressionRecord?
                if !before.merges.contains(snapshot.mergeId) {
                    guard case .record(let record)? = suppressions[input.user] else {
                        outcomes[position] = refuse(.unreadableSuppression(user: input.user, partition: input.partition, event: "merge", reason: "needed to add the merged identity's suppressions"))
                        continue
                    }
                    do {
                        suppression = try Self.mergedSuppressions(record, snapshot)
                    } catch {
                        outcomes[position] = refuse(.unreadableSuppression(user: snapshot.from, partition: input.partition, event: "merge", reason: "the handed-over record: \(error)"))
                        continue
                    }
                    profile = Self.mergedProfile(profile, snapshot)
                    fold = (snapshot, suppression)
                }
                evaluation = JourneyEngine.merge(before, absorbing: source, mergeId: snapshot.mergeId, profile: profile, now: now, catalog: catalog)
            case .event, .timer, .refresh, .handover:
                let decided: JourneyInput
                switch input.kind {
                case .event(let event, _): decided = .event(event, profile: profile)
                case .timer(let timer): decided = .timer(timer, profile: profile)
                default: decided = .refresh(userId: input.user, profile: profile)
                }
                engineInput = decided
                evaluation = JourneyEngine.evaluate(before, input: decided, now: now, catalog: catalog, lists: lists)
            }
            if !evaluation.slotRequests.isEmpty {
                // Throttled entries: reserve their slots fleet-wide first, then decide with them.
                guard let engineInput else {
                    outcomes[position] = .retry(reason: "a merge for user '\(input.user)' asked for entry-throttle slots")
                    continue
                }
                let slots = try await throttles.reserve(evaluation.slotRequests, now: now, connection: connection)
                evaluation = JourneyEngine.evaluate(before, input: engineInput, now: now, catalog: catalog, lists: lists, entrySlots: slots)
                guard evaluation.slotRequests.isEmpty else {
                    outcomes[position] = .retry(reason: "the entry throttle's slots did not settle for user '\(input.user)'")
                    continue
                }
            }
            var operations = AtomicOperations()
            if evaluation.state != before {
                let stateKey = keyspace.journeyState(input.partition, user: input.user)
                if evaluation.state.isEmpty { operations.delete(stateKey) } else { operations.set(stateKey, evaluation.state.encoded()) }
            }
            var trail: [TrailRecord] = []
            var wakes = false
            for effect in evaluation.effects {
                if case .trail(let entry) = effect {
                    trail.append(TrailRecord(entry))
                } else if apply(effect, partition: input.partition, user: input.user, now: now, to: &operations) {
                    wakes = true
                }
            }
            // Later inputs of this batch see the action steps' profile and list changes, as they will once applied.
            for effect in evaluation.effects {
                switch effect {
                case .updateProfile(let update): profile = update.applied(to: profile)
                case .updateLists(let update): lists = update.applied(to: lists)
                default: break
                }
            }
            if let fold {
                self.fold(fold.snapshot, partition: input.partition, user: input.user, suppression: fold.suppression, to: &operations)
                if let merged = fold.suppression { suppressions[input.user] = .record(merged) }
            }
            var statusRecord: FeedbackWriter.StatusRecord?
            if let plan = input.feedback, case .event(let event, _) = input.kind {
                var suppression = suppressions[input.user]
                do {
                    statusRecord = try feedback.apply(
                        plan, of: event, partition: input.partition, user: input.user, suppression: &suppression,
                        profile: &profile, now: now, to: &operations)
                } catch {
                    // Nothing of this input is applied, its journey effects included, so a replay
                    // after the repair evaluates it from the same state.
                    outcomes[position] = refuse(error)
                    continue
                }
                suppressions[input.user] = suppression
                // What the provider reported about a send goes next to its outcome in the trail.
                if let status = plan.status, let key = plan.messageId, !key.isEmpty {
                    trail.append(Self.feedbackRecord(status: status, key: key, reason: plan.reason))
                }
            }
            // One compact trail entry per input, holding all of its decisions in order, bounded by
            // count and age. The key, and the older stream form if the user has one, expire when
            // the user stays inactive for the age.
            if !trail.isEmpty {
                let key = keyspace.trailLog(input.partition, user: input.user)
                let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded())
                operations.lpushCapped(key, maxLength: trailRetention.maxLength, value: TrailRecord.encodeEntry(trail, atMilliseconds: nowMilliseconds))
                operations.ltrimAge(key, minimumMilliseconds: nowMilliseconds - trailRetention.maxAgeMilliseconds)
                operations.pexpire(key, milliseconds: trailRetention.maxAgeMilliseconds)
                operations.pexpire(keyspace.trail(input.partition, user: input.user), milliseconds: trailRetention.maxAgeMilliseconds)
            }
            states[input.user] = evaluation.state
            profiles[input.user] = profile
            memberships[input.user] = lists
            if wakes { wakeScheduler = true }
            metrics.increment(.evaluations, ["input": input.kind.label])
            if operations.isEmpty { continue }
            if let statusRecord { statusRecords[commands.count] = statusRecord }
            commands.append(operations.command(
                lease: keyspace.lease(input.partition), leaseValue: leaseValue,
                applied: keyspace.appliedInputs(input.partition), entryID: input.entry.id,
                retention: appliedRetention.window, capacity: appliedRetention.capacity))
            commandPositions.append(position)
        }
        if commands.isEmpty && forwards.isEmpty && pendingHandovers.isEmpty { return outcomes }
        if wakeScheduler {
            commands += TimerScheduler.wakeCommands(keyspace)
        }
        // What survives an erasure is stored before anything is erased, and the fleet-wide streams are
        // swept before the partition's script runs: a crash in between redelivers the request, which
        // does both again, while after the script the request entry itself is gone.
        for reply in surviving.isEmpty ? [] : try await connection.pipeline(surviving) {
            if case .error(let message) = reply { throw RedisServerError(command: "HSET erased suppression", message: message) }
        }
        var swept: [Int: Int] = [:]
        for (index, erasureInput) in erasures {
            // An inactive user active again (or erased already) keeps their records; the script checks again.
            if let since = erasureInput.inactiveSince,
                !(try await erasure.stillInactive(user: erasureInput.input.user, partition: erasureInput.input.partition, since: since, connection: connection))
            {
                continue
            }
            swept[index] = try await erasure.sweepFleetStreams(user: erasureInput.input.user, connection: connection)
        }
        let replies = commands.isEmpty ? [] : try await connection.pipeline(commands)
        try await recordErasures(erasures, swept: swept, replies: replies, connection: connection)
        // Each handover taken (or found taken) goes to its target's partition before any input
        // forwarded after it, so the target folds the snapshot first.
        for handover in handovers where replies[handover.command].array != nil {
            pendingHandovers.append((handover.partition, handover.mergeId))
        }
        try await deliverHandovers(pendingHandovers, connection: connection)
        try await forward(forwards, replies: replies, outcomes: &outcomes, connection: connection)
        for (position, reply) in zip(commandPositions, replies) {
            if case .error(let message) = reply {
                outcomes[position] = .retry(reason: message)
                if message.hasPrefix("FENCED") {
                    metrics.increment(.evaluationsFenced)
                    // The partition's lease moved to another evaluator mid-batch: nothing of this
                    // input was written; the new owner evaluates it from the same state.
                    let input = inputs.first { $0.0 == position }?.1
                    logger.warning("write fenced: the partition lease moved; not applied here", [
                        "partition": .number(Double(input?.partition ?? -1)), "user": .string(input?.user ?? ""),
                        "stream": .string(input?.entry.stream.rawValue ?? ""), "id": .string(input?.entry.id ?? ""), "error": .string(message),
                    ])
                } else {
                    logger.warning("applying an input failed; it will be retried", ["error": .string(message)])
                }
            }
        }
        // Feedback status records go to the fleet-wide deliveries stream only for inputs whose
        // script applied now (`OK`; a redelivered input answers `SKIP`), so each is written once.
        let applied = statusRecords.keys.sorted().filter { replies[$0].string == "OK" }.compactMap { statusRecords[$0] }
        try await feedback.appendRecords(applied, connection: connection)
        return outcomes
    }

    /// Records each erasure its script applied (`OK`; a `SKIP` was recorded when it was applied).
    private func recordErasures(
        _ erasures: [Int: (input: Input, requestedBy: String, inactiveSince: Int64?)], swept: [Int: Int], replies: [RESPValue], connection: RedisConnection
    ) async throws {
        for (index, erasureInput) in erasures.sorted(by: { $0.key < $1.key }) {
            let input = erasureInput.input
            guard var erased = erasure.erasedFamilies(replies[index], partition: input.partition, user: input.user) else { continue }
            if let count = swept[index], count > 0 { erased["streamEntries"] = count }
            let request: String
            if case .event(let event, _) = input.kind { request = event.messageId } else { request = input.entry.id }
            try await connection.send(erasure.recordCommand(user: input.user, requestedBy: erasureInput.requestedBy, request: request, erased: erased, at: Date()))
            metrics.increment(.usersErased, ["cause": erasureInput.inactiveSince == nil ? "request" : "inactivity"])
            logger.info("user erased", ["partition": .number(Double(input.partition)), "request": .string(request), "erased": .string(erased.keys.sorted().joined(separator: ","))])
        }
    }

    /// A user's stored journey state: none yet (a missing key) is the empty state; anything else
    /// must decode.
    private static func state(_ reply: RESPValue, user: String, partition: Int) -> Result<UserJourneyState, EvaluatorInputError> {
        switch reply {
        case .null:
            return .success(UserJourneyState(userId: user))
        case .bulk(let bytes):
            do {
                return .success(try UserJourneyState(decoding: bytes, userId: user))
            } catch {
                return .failure(.unreadableState(user: user, partition: partition, reason: error.description))
            }
        case .error(let message):
            return .failure(.unreadableState(user: user, partition: partition, reason: message))
        default:
            return .failure(.unreadableState(user: user, partition: partition, reason: "unexpected GET reply"))
        }
    }

    /// The trail record of a provider's report on send `key` (`<instance>/<channel>/<n>`, the
    /// instance `<journey>-<hash>`): `delivered`, or `reported` with the status and reason.
    static func feedbackRecord(status: DeliveryStatus, key: String, reason: String?) -> TrailRecord {
        let instance = String(key.prefix { $0 != "/" })
        let journey = instance.lastIndex(of: "-").map { String(instance[..<$0]) } ?? ""
        return status == .delivered
            ? TrailRecord.outcome("delivered", journey: journey, version: 0, instanceId: instance, step: nil, key: key)
            : TrailRecord.outcome("reported", journey: journey, version: 0, instanceId: instance, step: nil, key: key, details: [status.rawValue, reason ?? ""])
    }

    /// The outcome for an input that is not applied: dead-lettered with the reason, and counted.
    private func refuse(_ error: EvaluatorInputError) -> EntryOutcome {
        metrics.increment(.inputsRefused, ["reason": error.code])
        return .deadLetter(reason: error.description)
    }

    /// Adds one effect's writes; returns whether it scheduled a timer due soon (wake the scheduler).
    private func apply(_ effect: JourneyEffect, partition: Int, user: String, now: Date, to operations: inout AtomicOperations) -> Bool {
        switch effect {
        case .send(let request):
            operations.xadd(keyspace.outbox(partition, request.channel), fields: [("request", request.json.serialized())])
            metrics.increment(.sendsRequested, ["channel": request.channel.rawValue])
        case .scheduleTimer(let timer):
            operations.zadd(keyspace.timers(partition), score: Int64((timer.dueAt.timeIntervalSince1970 * 1000).rounded()), member: timer.id)
            // A compact member describes the timer whole; only other ids need their payload.
            if !timer.isDescribedByMember {
                operations.hset(keyspace.timerPayloads(partition), field: timer.id, value: timer.json.serialized())
            }
            return timer.dueAt.timeIntervalSince(now) < TimerScheduler.wakeHorizon
        case .cancelTimer(let id):
            operations.zrem(keyspace.timers(partition), member: id)
            operations.hdel(keyspace.timerPayloads(partition), field: id)
        case .trail:
            // Collected per input by the caller and written as one entry.
            break
        case .stat(let journey, let step, let counter, let delta):
            operations.hincrbyfloat(keyspace.journeyStats(partition, journey: journey), field: "\(step ?? "_"):\(counter.rawValue)", by: delta)
        case .groupStat(let journey, let group, let counter, let delta):
            operations.hincrbyfloat(keyspace.experimentStats(partition, journey: journey), field: "\(group):\(counter.rawValue)", by: delta)
        case .updateProfile, .updateLists:
            actions.apply(effect, partition: partition, user: user, now: now, to: &operations)
        }
        return false
    }

    private func parse(_ entry: StreamEntry) -> Result<Input, EvaluatorInputError> {
        guard let partition = partitionsByStream[entry.stream] else { return .failure(.notAPartitionStream(entry.stream)) }
        let decoded: PartitionInput
        do {
            decoded = try PartitionInput(entry: entry)
        } catch {
            return .failure(.malformed(error))
        }
        let input: Input
        switch decoded {
        case .event(let event), .feedback(let event):
            let fromHerald = decoded.kind == .feedback
            input = Input(entry: entry, partition: partition, user: event.userKey, kind: .event(event, fromHerald: fromHerald))
        case .timer(let id, let dueAt, _, let payload):
            let timer: JourneyTimer?
            if let payload {
                timer = JourneyTimer(json: payload)
            } else {
                timer = dueAt.flatMap { JourneyTimer(member: id, dueAtMilliseconds: $0) }
            }
            guard let timer else { return .failure(.notAJourneyTimer(timerId: id)) }
            input = Input(entry: entry, partition: partition, user: timer.userId, kind: .timer(timer))
        case .refresh(let user):
            input = Input(entry: entry, partition: partition, user: user, kind: .refresh)
        case .handover(let user, let into, let mergeId):
            input = Input(entry: entry, partition: partition, user: user, kind: .handover(into: into, mergeId: mergeId))
        case .merge(let snapshot):
            input = Input(entry: entry, partition: partition, user: snapshot.into, kind: .merge(snapshot))
        }
        // Every key the input touches is built from this partition: another partition's user would
        // be evaluated against the wrong keys.
        let expected = keyspace.partition(ofUser: input.user)
        guard expected == partition else { return .failure(.wrongPartition(user: input.user, partition: partition, expected: expected)) }
        return .success(input)
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
