import Foundation
import HeraldCore

/// Validates producer payloads from the ingest shards and routes them: accepted events to their
/// user's partition (deduplicated, profile updated) and rejected payloads, verbatim with their
/// reason, to the rejected shard beside the ingest shard they came from (`herald:rejected` for
/// `herald:ingest`).
public struct IngestHandler: StreamBatchHandler {
    /// Where everything goes.
    public var keyspace: Keyspace
    /// How long a messageId is remembered for deduplication.
    public var dedupeWindowMilliseconds: Int
    /// How many messageIds a partition remembers at most: a safety net for memory. When it drops
    /// ids younger than the window, `herald_dedupe_window_cut_total` counts it and a warning (at
    /// most one a minute) says how much of the window is left.
    public var dedupeCapacityPerPartition: Int
    /// The bounds of each rejected shard (`HERALD_REJECTED_MAX`, `HERALD_REJECTED_MAX_AGE_MS`).
    public var rejectedRetention: StreamRetention
    /// Counters.
    public var metrics: Metrics
    /// Where the cut-window warning goes.
    public var logger: Logger
    private let cutWarning = ThrottledWarning(interval: .seconds(60))

    /// Creates a handler.
    public init(
        keyspace: Keyspace, dedupeWindowMilliseconds: Int = 86_400_000, dedupeCapacityPerPartition: Int = 100_000,
        rejectedRetention: StreamRetention? = nil, metrics: Metrics, logger: Logger = Logger(service: "herald-ingestor")
    ) {
        self.keyspace = keyspace
        self.dedupeWindowMilliseconds = dedupeWindowMilliseconds
        self.dedupeCapacityPerPartition = dedupeCapacityPerPartition
        self.rejectedRetention = rejectedRetention ?? StreamRetention(stream: keyspace.rejected, maxLength: 100_000, maxAgeMilliseconds: 7 * 86_400_000)
        self.metrics = metrics
        self.logger = logger
    }

    /// Handles one batch with one pipelined round trip.
    public func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
        let now = Date().unixMilliseconds
        var commands: [RedisCommand] = []
        commands.reserveCapacity(entries.count)
        // Each entry's commands: its accepting (or rejecting) command first, then any handovers
        // it asks for (an identify or alias linking two identities), each in its own partition.
        var ranges: [Range<Int>] = []
        var accepted = 0
        for entry in entries {
            let first = commands.count
            switch route(entry, now: now) {
            case .success(let routed):
                commands += routed
                accepted += 1
            case .failure(let rejection):
                commands.append(rejectCommand(entry, rejection))
                metrics.increment(.eventsRejected, ["reason": rejection.code])
            }
            ranges.append(first..<commands.count)
        }
        let replies = try await connection.pipeline(commands)
        var duplicates = 0
        var shortestKept: Int64?
        let outcomes = ranges.map { range -> EntryOutcome in
            // Every part is idempotent (deduplicated by id), so a retry repeats only what failed.
            for index in range {
                if case .error(let message) = replies[index] { return .retry(reason: message) }
            }
            switch replies[range.lowerBound] {
            case .integer(0): duplicates += 1
            case .array(let parts):
                if parts.count > 1, let kept = parts[1].int, kept >= 0 { shortestKept = min(shortestKept ?? kept, kept) }
            default: break
            }
            return .done
        }
        if let kept = shortestKept { reportCutWindow(keptMilliseconds: kept) }
        metrics.increment(.eventsAccepted, by: Double(accepted - duplicates))
        if duplicates > 0 { metrics.increment(.eventsDuplicate, by: Double(duplicates)) }
        return outcomes
    }

    /// The count cap dropped ids younger than the window: the promised window is not kept.
    private func reportCutWindow(keptMilliseconds: Int64) {
        metrics.increment(.dedupeWindowCut)
        metrics.set(.dedupeWindowKept, to: Double(keptMilliseconds) / 1000)
        if cutWarning.shouldWarn() {
            logger.warning("dedupe window cut short by HERALD_DEDUPE_CAPACITY", [
                "windowMs": .number(Double(dedupeWindowMilliseconds)), "keptMs": .number(Double(keptMilliseconds)),
                "capacityPerPartition": .number(Double(dedupeCapacityPerPartition)),
            ])
        }
    }

    private func route(_ entry: StreamEntry, now: Int64) -> Result<[RedisCommand], EventRejection> {
        guard let payload = entry.bytes("event") else { return .failure(.missingPayload) }
        let received = Date(unixMilliseconds: entry.timestampMilliseconds)
        var event: Event
        do {
            // A message without `timestamp` happened when it was received; `sentAt` corrects skew.
            event = try Event.validate(payload: payload, receivedAt: received)
        } catch {
            return .failure(error)
        }
        let handovers = event.linkedIdentities.map { source in
            PartitionInput.handoverCommand(
                keyspace: keyspace, user: source, into: event.userKey, mergeId: IdentitySnapshot.mergeId(messageId: event.messageId, from: source),
                nowMilliseconds: now, dedupeWindowMilliseconds: dedupeWindowMilliseconds)
        }
        return .success([Self.acceptCommand(event, keyspace: keyspace, now: now, dedupeWindowMilliseconds: dedupeWindowMilliseconds, dedupeCapacity: dedupeCapacityPerPartition)] + handovers)
    }

    /// The `ingest.lua` call that accepts `event` into its user's partition: deduplicated by
    /// `messageId` (or `dedupeId`), the profile updated for an identify, the user's activity noted.
    static func acceptCommand(
        _ event: Event, keyspace: Keyspace, now: Int64, dedupeWindowMilliseconds: Int, dedupeCapacity: Int, dedupeId: String? = nil
    ) -> RedisCommand {
        let partition = keyspace.partition(ofUser: event.userKey)
        var arguments: [any RedisArgument] = [
            dedupeId ?? event.messageId, now, dedupeWindowMilliseconds, dedupeCapacity, event.json.serialized(), event.userKey,
        ]
        if event.type == .identify {
            for (name, value) in event.traits.sorted(by: { $0.key < $1.key }) {
                arguments.append(name)
                arguments.append(value.serialized())
            }
        }
        let keys = [
            keyspace.dedupe(partition), keyspace.events(partition), keyspace.profile(partition, user: event.userKey), keyspace.activity(partition),
        ]
        return HeraldScripts.ingest.command(keys: keys, arguments: arguments)
    }

    private func rejectCommand(_ entry: StreamEntry, _ rejection: EventRejection) -> RedisCommand {
        // The payload is kept byte for byte; an entry without an `event` field keeps all its fields.
        var fields: [(String, any RedisArgument)] = [
            ("reason", rejection.description), ("code", rejection.code), ("ingestId", entry.id),
        ]
        if let payload = entry.bytes("event") {
            fields.insert(("payload", payload), at: 0)
        } else {
            for (field, value) in entry.fields { fields.append(("field." + field, value)) }
        }
        return rejectedRetention.on(keyspace.rejected(forStream: entry.stream)).xaddCommand(fields: fields)
    }
}
