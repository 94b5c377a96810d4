import Foundation
import Synchronization

/// The loop every Herald worker runs over Redis streams with a consumer group.
///
/// At-least-once in: entries are acknowledged only after the handler applied their effect. On start
/// the consumer finishes its own pending entries; periodically it claims entries idle at crashed
/// consumers (XAUTOCLAIM); an entry delivered more than `maxDeliveries` times goes to the
/// dead-letter stream with its error, so it never blocks its stream. On graceful shutdown it stops
/// reading, finishes the batch it holds and acknowledges it.
public final class StreamWorker: Service {
    /// A short name for logs.
    public let name: String
    private let configuration: RedisConfiguration
    private let options: StreamWorkerOptions
    private let streams: @Sendable () async -> [RedisKey]
    private let handler: any StreamBatchHandler
    private let logger: Logger
    private let metrics: Metrics
    private let heartbeat: Heartbeat
    private let stopped: GracefulShutdown?
    private let janitor: ConsumerJanitor
    /// Entries this worker left pending on purpose (`.wait`): when the periodic claim brings them
    /// back, that is no takeover.
    private let waitingHere = Mutex(Set<String>())
    private let gatherer = BatchGatherer()

    /// Creates a worker. `streams` is asked before every read, so the set may change (partition leases).
    public init(
        name: String, redis configuration: RedisConfiguration, options: StreamWorkerOptions,
        streams: @escaping @Sendable () async -> [RedisKey], handler: any StreamBatchHandler, logger: Logger,
        metrics: Metrics, heartbeat: Heartbeat, stopped: GracefulShutdown? = nil
    ) {
        self.stopped = stopped
        self.name = name
        self.configuration = configuration
        self.options = options
        self.streams = streams
        self.handler = handler
        self.logger = logger.with(["consumer": .string(options.consumer), "group": .string(options.group)])
        self.metrics = metrics
        self.heartbeat = heartbeat
        self.janitor = ConsumerJanitor(
            group: options.group, consumer: options.consumer, expiryMilliseconds: options.consumerExpiryMilliseconds,
            liveMilliseconds: max(options.claimMinIdleMilliseconds, options.blockMilliseconds * 5), logger: self.logger)
    }

    /// Runs the loop until shutdown.
    ///
    /// On one Redis a single loop reads all of its streams with one blocking XREADGROUP. A Redis
    /// Cluster refuses a command over keys of several slots, and every stream has a slot of its own
    /// (`{pN}`), so there each stream gets a loop (and a connection) of its own, started when the
    /// stream becomes this worker's and ended when it stops being so (a lease handed over); each
    /// still blocks on its read and keeps its stream's order.
    public func run(shutdown: GracefulShutdown) async throws {
        logger.info("worker started")
        if configuration.isCluster {
            await runPerStream(shutdown: shutdown)
        } else {
            await runLoop(label: name, select: streams, boundsRetained: true, endsWhenEmpty: false, shutdown: shutdown)
        }
        stopped?.trigger()
        logger.info("worker stopped")
    }

    private func runPerStream(shutdown: GracefulShutdown) async {
        let running = RunningStreams()
        let connection = RedisConnection(configuration: configuration, label: name)
        var nextBound = ContinuousClock.now
        await withTaskGroup(of: Void.self) { handling in
            handling.addTask { await self.handleGathered() }
            await withTaskGroup(of: Void.self) { readers in
                while !shutdown.isTriggered && !Task.isCancelled {
                    let current = await streams()
                    for stream in current where running.insert(stream) {
                        readers.addTask {
                            await self.runLoop(
                                label: "\(self.name) \(stream.rawValue)",
                                select: { await self.streams().contains(stream) ? [stream] : [] },
                                boundsRetained: false, endsWhenEmpty: true, shutdown: shutdown)
                            running.remove(stream)
                        }
                    }
                    if running.isEmpty { heartbeat.turn() }
                    // The dead-letter and retained streams are bounded here, once per worker.
                    if ContinuousClock.now >= nextBound {
                        do {
                            try await trimRetained(connection: connection)
                        } catch {
                            logger.warning("bounding the retained streams failed; retrying next round", ["error": .string("\(error)")])
                        }
                        nextBound = ContinuousClock.now + options.claimInterval
                    }
                    await shutdown.sleep(for: .milliseconds(200))
                }
                await readers.waitForAll()
            }
            // Every loop has handed in its last batch and seen it handled.
            await gatherer.close()
        }
        await connection.close()
    }

    /// Handles what the per-stream loops hand in, one gathered batch at a time, on a connection of
    /// its own; each loop learns its entries' fate (or the batch's error) when the batch is done.
    private func handleGathered() async {
        let connection = RedisConnection(configuration: configuration, label: name + " batches")
        while true {
            let submissions = await gatherer.take(limit: options.batchSize)
            if submissions.isEmpty { break }
            // Redelivered and claimed entries (their delivery counts checked) apart from new ones.
            for checking in [true, false] {
                let group = submissions.filter { $0.checkDeliveries == checking }
                if group.isEmpty { continue }
                do {
                    try await handleBatch(group.flatMap(\.entries), connection: connection, checkDeliveries: checking)
                    for submission in group { submission.handled.resume() }
                } catch {
                    for submission in group { submission.handled.resume(throwing: error) }
                }
            }
        }
        await connection.close()
    }

    /// One read loop over the streams `select` names each turn.
    private func runLoop(
        label: String, select: @escaping @Sendable () async -> [RedisKey], boundsRetained: Bool, endsWhenEmpty: Bool,
        shutdown: GracefulShutdown
    ) async {
        let connection = RedisConnection(configuration: configuration, label: label)
        var grouped = Set<RedisKey>()
        var backoff = Backoff()
        var recovered = Set<RedisKey>()
        var nextClaim = ContinuousClock.now
        while !shutdown.isTriggered && !Task.isCancelled {
            do {
                let current = await select()
                if current.isEmpty {
                    if endsWhenEmpty { break }
                    // No partition leased yet (or none at all): still a turn of a working loop.
                    heartbeat.turn()
                    await shutdown.sleep(for: .milliseconds(200))
                    continue
                }
                for stream in current where !grouped.contains(stream) {
                    try await connection.ensureGroup(options.group, on: stream)
                    grouped.insert(stream)
                }
                // First finish what this consumer already holds (a restart after a crash), and for a
                // newly owned partition what its previous owner left pending.
                recovered.formIntersection(current)
                let unrecovered = current.filter { !recovered.contains($0) }
                if !unrecovered.isEmpty {
                    try await drainOwnPending(unrecovered, connection: connection, shutdown: shutdown)
                    if options.claimAllOnAcquire {
                        try await reclaim(unrecovered, minIdleMilliseconds: 0, connection: connection, shutdown: shutdown)
                    }
                    recovered.formUnion(unrecovered)
                }
                if ContinuousClock.now >= nextClaim {
                    try await reclaim(current, minIdleMilliseconds: options.claimMinIdleMilliseconds, connection: connection, shutdown: shutdown)
                    try await janitor.removeExpired(current, connection: connection)
                    try await trimAcknowledged(current, connection: connection)
                    if boundsRetained { try await trimRetained(connection: connection) }
                    nextClaim = ContinuousClock.now + options.claimInterval
                }
                if shutdown.isTriggered { break }
                // COUNT applies per stream: share the batch between the streams so one read
                // holds about `batchSize` entries however many streams it covers.
                let perStream = max(1, options.batchSize / current.count)
                let entries = try await connection.xreadgroup(
                    group: options.group, consumer: options.consumer, streams: current, from: ">",
                    count: perStream, blockMilliseconds: options.blockMilliseconds)
                heartbeat.beat()
                var start = 0
                while start < entries.count {
                    let end = min(entries.count, start + options.batchSize)
                    try await process(Array(entries[start..<end]), connection: connection, checkDeliveries: false)
                    start = end
                }
                backoff.reset()
            } catch {
                if Task.isCancelled { break }
                heartbeat.turn()
                // Entries of a failed batch are still pending here: finish them before reading newer
                // ones, so the stream's order holds (one user's events stay in sequence).
                recovered.removeAll()
                let delay = backoff.next()
                logger.warning("worker loop error; retrying", ["error": .string("\(error)"), "retryInMs": .number(Double(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000))])
                metrics.increment(.workerErrors, ["worker": name])
                await shutdown.sleep(for: delay)
            }
        }
        if shutdown.isTriggered && !Task.isCancelled {
            // A graceful stop: nothing of this consumer should stay behind in its groups.
            do {
                try await janitor.leave(grouped.sorted { $0.rawValue < $1.rawValue }, connection: connection)
            } catch {
                logger.warning("could not leave the consumer groups; the others remove this consumer once it is idle", ["error": .string("\(error)")])
            }
        }
        await connection.close()
    }

    private func drainOwnPending(_ streams: [RedisKey], connection: RedisConnection, shutdown: GracefulShutdown) async throws {
        for stream in streams {
            var cursor = "0"
            while !shutdown.isTriggered {
                let entries = try await connection.xreadgroup(
                    group: options.group, consumer: options.consumer, streams: [stream], from: cursor,
                    count: options.batchSize, blockMilliseconds: nil)
                guard let last = entries.last else { break }
                logger.info("finishing own pending entries", ["stream": .string(stream.rawValue), "count": .number(Double(entries.count))])
                try await process(entries, connection: connection, checkDeliveries: true)
                cursor = last.id
            }
        }
    }

    private func reclaim(_ streams: [RedisKey], minIdleMilliseconds: Int, connection: RedisConnection, shutdown: GracefulShutdown) async throws {
        for stream in streams {
            var start = "0-0"
            repeat {
                let claimed = try await connection.xautoclaim(
                    stream, group: options.group, consumer: options.consumer,
                    minIdleMilliseconds: minIdleMilliseconds, start: start, count: options.batchSize)
                if !claimed.deleted.isEmpty {
                    try await connection.send(RedisConnection.xackCommand(stream, group: options.group, ids: claimed.deleted))
                }
                if !claimed.entries.isEmpty {
                    let taken = waitingHere.withLock { waiting in
                        claimed.entries.filter { waiting.remove(stream.rawValue + " " + $0.id) == nil }
                    }
                    if !taken.isEmpty {
                        // A takeover: another consumer held these and went quiet (crashed, or stuck).
                        logger.warning("claimed idle entries from another consumer", [
                            "stream": .string(stream.rawValue), "count": .number(Double(taken.count)),
                            "ids": .array(taken.prefix(20).map { .string($0.id) }), "minIdleMs": .number(Double(minIdleMilliseconds)),
                        ])
                        metrics.increment(.entriesClaimed, by: Double(taken.count), ["worker": name])
                    }
                    try await process(claimed.entries, connection: connection, checkDeliveries: true)
                }
                start = claimed.next
            } while start != "0-0" && !shutdown.isTriggered
        }
    }

    /// Drops entries every consumer group of a stream has acknowledged, so streams stay bounded.
    /// Only streams read by this group alone are trimmed; anything pending stays.
    private func trimAcknowledged(_ streams: [RedisKey], connection: RedisConnection) async throws {
        // Three pipelines for all streams: group info, the oldest pending entry where there is one, the trim.
        let infos = try await connection.pipeline(streams.map { .xinfoGroups($0) })
        var trimmable: [(stream: RedisKey, keepFrom: String, hasPending: Bool)] = []
        for (stream, reply) in zip(streams, infos) {
            guard let groups = reply.array, groups.count == 1 else { continue }
            let info = groups[0].fields
            guard info["name"]?.string == options.group, let lastDelivered = info["last-delivered-id"]?.string else { continue }
            trimmable.append((stream, StreamID.successor(of: lastDelivered), (info["pending"]?.int ?? 0) > 0))
        }
        let pending = trimmable.filter(\.hasPending)
        let summaries = try await connection.pipeline(pending.map { .xpendingSummary($0.stream, group: options.group) })
        var oldestPending: [RedisKey: String] = [:]
        for (entry, summary) in zip(pending, summaries) {
            if let parts = summary.array, parts.count > 1, let oldest = parts[1].string { oldestPending[entry.stream] = oldest }
        }
        // Never past a pending entry: a stream whose oldest pending id is unknown is left alone.
        var remaining = trimmable.compactMap { entry -> (stream: RedisKey, keepFrom: String)? in
            let keepFrom = entry.hasPending ? oldestPending[entry.stream] : entry.keepFrom
            return keepFrom.map { (entry.stream, $0) }
        }
        // An XTRIM with `~` removes at most LIMIT entries (10 000 when unsaid): repeat it while it
        // still removes something, so a stream is trimmed as fast as it is consumed.
        var calls = 0
        while !remaining.isEmpty && calls < options.trimCallsPerRound {
            calls += 1
            let trims = remaining.map { RedisCommand.xtrim($0.stream, .minID($0.keepFrom, approximate: true, limit: options.trimLimit)) }
            var next: [(stream: RedisKey, keepFrom: String)] = []
            for (entry, reply) in zip(remaining, try await connection.pipeline(trims)) {
                switch reply {
                case .integer(let removed) where removed > 0:
                    metrics.increment(.entriesTrimmed, by: Double(removed), ["worker": name])
                    next.append(entry)
                case .error(let message):
                    // A failed trim loses nothing (the stream is trimmed on the next round): say so and go on.
                    logger.warning("trimming a stream failed", ["stream": .string(entry.stream.rawValue), "error": .string(message)])
                default:
                    break
                }
            }
            remaining = next
        }
    }

    /// Applies the count and age bounds of the dead-letter stream and of `retainedStreams`.
    private func trimRetained(connection: RedisConnection) async throws {
        let now = Date().unixMilliseconds
        let commands = (options.deadLetterRetentions + options.retainedStreams).flatMap { $0.trimCommands(nowMilliseconds: now) }
        for reply in try await connection.pipeline(commands) {
            if case .error(let message) = reply { logger.warning("bounding a stream failed", ["error": .string(message)]) }
        }
    }

    private func process(_ entries: [StreamEntry], connection: RedisConnection, checkDeliveries: Bool) async throws {
        if configuration.isCluster {
            try await gatherer.submit(entries, checkDeliveries: checkDeliveries)
        } else {
            try await handleBatch(entries, connection: connection, checkDeliveries: checkDeliveries)
        }
    }

    private func handleBatch(_ entries: [StreamEntry], connection: RedisConnection, checkDeliveries: Bool) async throws {
        var toHandle = entries
        var deadLettered: [(StreamEntry, String, Int)] = []
        var counts: [String: Int] = [:]
        if checkDeliveries {
            for (stream, group) in Dictionary(grouping: entries, by: \.stream) {
                for (id, count) in try await connection.deliveryCounts(stream, group: options.group, ids: group.map(\.id)) {
                    counts[stream.rawValue + " " + id] = count
                }
            }
            toHandle = []
            for entry in entries {
                let count = counts[entry.stream.rawValue + " " + entry.id] ?? 1
                if count > options.maxDeliveries {
                    deadLettered.append((entry, "delivered \(count) times without success (limit \(options.maxDeliveries))", count))
                } else {
                    toHandle.append(entry)
                }
            }
        }
        let started = ContinuousClock.now
        let outcomes = toHandle.isEmpty ? [] : try await handler.handle(toHandle, connection: connection)
        var acknowledged: [RedisKey: [String]] = [:]
        var waiting: [RedisCommand] = []
        var retried = 0
        for (entry, outcome) in zip(toHandle, outcomes) {
            switch outcome {
            case .done: acknowledged[entry.stream, default: []].append(entry.id)
            case .retry(let reason):
                retried += 1
                logger.warning("entry failed; it will be retried", ["stream": .string(entry.stream.rawValue), "id": .string(entry.id), "reason": .string(reason)])
            case .wait(let reason, let retryAfter):
                retried += 1
                logger.debug("entry waits", ["stream": .string(entry.stream.rawValue), "id": .string(entry.id), "reason": .string(reason)])
                waiting.append(giveBackDelivery(entry, count: counts[entry.stream.rawValue + " " + entry.id] ?? 1, retryAfterMilliseconds: retryAfter))
                waitingHere.withLock { waiting in
                    // Another consumer may take a waiting entry first; the set only ever names recent ones.
                    if waiting.count >= 10_000 { waiting.removeAll() }
                    waiting.insert(entry.stream.rawValue + " " + entry.id)
                }
            case .deadLetter(let reason): deadLettered.append((entry, reason, 0))
            }
        }
        // Dead letters first: an entry is acknowledged only once its dead-letter copy is stored.
        let deadLetterCommands = deadLettered.map { entry, reason, count -> RedisCommand in
            options.deadLetterRetention(forStream: entry.stream).xaddCommand(fields: DeadLetter(
                stream: entry.stream, error: reason, deliveries: count, originalID: entry.id, group: options.group,
                consumer: options.consumer, original: entry.fields
            ).fields)
        }
        var storedDeadLetters = 0
        for ((entry, reason, count), reply) in zip(deadLettered, try await connection.pipeline(deadLetterCommands)) {
            if case .error(let message) = reply {
                logger.error("could not store a dead letter; the entry stays pending", ["stream": .string(entry.stream.rawValue), "id": .string(entry.id), "error": .string(message)])
                continue
            }
            storedDeadLetters += 1
            acknowledged[entry.stream, default: []].append(entry.id)
            metrics.increment(.deadLetters, ["service": logger.service, "reason": count > 0 ? "max_deliveries" : "refused"])
            logger.error("entry moved to dead-letter stream", ["stream": .string(entry.stream.rawValue), "id": .string(entry.id), "reason": .string(reason)])
        }
        if options.replicaAcks > 0, !acknowledged.isEmpty { try await waitForReplicas(connection) }
        let acks = acknowledged.map { RedisConnection.xackCommand($0.key, group: options.group, ids: $0.value) }
        for reply in try await connection.pipeline(acks + waiting) {
            // An unacknowledged entry is delivered again and its handler finds its effect applied.
            if case .error(let message) = reply { throw RedisServerError(command: "XACK/XCLAIM", message: message) }
        }
        let elapsed = ContinuousClock.now - started
        metrics.increment(.entriesProcessed, by: Double(outcomes.count - retried), ["worker": name])
        if retried > 0 { metrics.increment(.entriesRetried, by: Double(retried), ["worker": name]) }
        if storedDeadLetters > 0 { metrics.increment(.entriesDeadLettered, by: Double(storedDeadLetters), ["worker": name]) }
        metrics.set(.lastBatchSeconds, to: Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds), ["worker": name])
    }

    /// Waits until every master this connection wrote to has `replicaAcks` replicas with the
    /// writes (`WAIT` counts this client's own writes, so a master it did not write to answers at
    /// once); throws when one has fewer, so the batch stays pending and is handled again.
    private func waitForReplicas(_ connection: RedisConnection) async throws {
        let replies = try await connection.onEveryMaster(.wait(replicas: options.replicaAcks, timeoutMilliseconds: options.replicaAckTimeoutMilliseconds))
        for reply in replies {
            if case .error(let message) = reply { throw RedisServerError(command: "WAIT", message: message) }
            let confirmed = Int(reply.int ?? 0)
            if confirmed < options.replicaAcks {
                metrics.increment(.replicaAckTimeouts, ["worker": name])
                throw StreamWorkerError.tooFewReplicas(confirmed: confirmed, required: options.replicaAcks)
            }
        }
    }

    /// Keeps a waiting entry pending at this consumer with its delivery count as it was before this
    /// delivery (`JUSTID` does not count a delivery; `RETRYCOUNT` undoes the read's), and idle
    /// enough that the periodic claim looks at it again in about `retryAfterMilliseconds`.
    private func giveBackDelivery(_ entry: StreamEntry, count: Int, retryAfterMilliseconds: Int) -> RedisCommand {
        let idle = max(0, options.claimMinIdleMilliseconds - max(0, retryAfterMilliseconds))
        return .xclaimJustID(entry.stream, group: options.group, consumer: options.consumer, ids: [entry.id], idleMilliseconds: idle, retryCount: max(0, count - 1))
    }
}

/// The streams that have a read loop running, shared by the loops (which leave it when they end)
/// and the worker that starts them.
private final class RunningStreams: Sendable {
    private let streams = Mutex<Set<RedisKey>>([])

    /// Adds `stream`; false when it was there already.
    func insert(_ stream: RedisKey) -> Bool { streams.withLock { $0.insert(stream).inserted } }
    /// Removes `stream`.
    func remove(_ stream: RedisKey) { _ = streams.withLock { $0.remove(stream) } }
    /// Whether no loop runs.
    var isEmpty: Bool { streams.withLock { $0.isEmpty } }
}
