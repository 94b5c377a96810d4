import Foundation
import HeraldCore
import HeraldDelivery

/// The evaluator's side of feedback events: decides which feedback an input may apply (provider
/// feedback only from Herald's own `feedback` entries), loads the suppression records it changes,
/// adds its writes (suppression record, profile `pushTokens`, per-channel status counter) to the
/// input's atomic `apply-effects.lua` call, and, once that call has applied (`OK`, not `SKIP`),
/// appends the status record to the partition's delivery-record shard (`Keyspace.deliveries(forPartition:)`),
/// which has a fleet-wide tag of its own and so cannot be written by the partition's script.
struct FeedbackWriter: Sendable {
    let keyspace: Keyspace
    let logger: Logger
    let metrics: Metrics
    /// How many records each delivery-record shard keeps.
    var deliveries: DeliveryLogRetention = .standard

    /// A `herald:deliveries` record to append after the input's script applied.
    struct StatusRecord: Sendable {
        /// The delivery-record shard of the user's partition.
        var stream: RedisKey
        var fields: [(String, any RedisArgument)]
    }

    /// A user's stored suppression record, or why it cannot be changed safely.
    enum Loaded: Sendable {
        case record(SuppressionRecord)
        case unreadable(String)
    }

    /// The feedback `event` applies, if any. `fromHerald` is whether it came as a `feedback` entry;
    /// a producer's `event` may carry only the user-intent events (`Unsubscribed`, `Subscribed`).
    /// A refused or invalid feedback event is logged and counted and still goes to journeys.
    func plan(for event: Event, fromHerald: Bool, user: String) -> DeliveryFeedback? {
        guard event.type == .track, let name = event.event, DeliveryFeedback.names.contains(name) else { return nil }
        if !fromHerald && DeliveryFeedback.heraldOnlyNames.contains(name) {
            // Anyone who can write herald:ingest could otherwise suppress any address or forge statuses.
            logger.warning("feedback refused: only Herald may report it", [
                "user": .string(user), "event": .string(name), "messageId": .string(event.messageId),
            ])
            metrics.increment(.feedbackRefused, ["event": name])
            return nil
        }
        do {
            return try DeliveryFeedback.plan(for: event)
        } catch {
            logger.warning("feedback event not applied", ["user": .string(user), "event": .string(name), "error": .string(error.description)])
            metrics.increment(.feedbackInvalid)
            return nil
        }
    }

    /// Loads the suppression records of `users` (user → partition) in one pipeline. A missing key is
    /// an empty record; a value that does not decode, or a key of another type, is `.unreadable`.
    func loadSuppressions(_ users: [String: Int], connection: RedisConnection) async throws -> [String: Loaded] {
        if users.isEmpty { return [:] }
        let list = Array(users)
        let replies = try await connection.pipeline(list.map { .get(keyspace.suppression($0.value, user: $0.key)) })
        var loaded: [String: Loaded] = [:]
        for ((user, _), reply) in zip(list, replies) {
            switch reply {
            case .null:
                loaded[user] = .record(SuppressionRecord())
            case .bulk(let bytes):
                do {
                    loaded[user] = .record(try SuppressionRecord(json: try JSONValue.parse(bytes)))
                } catch {
                    loaded[user] = .unreadable("\(error)")
                }
            case .error(let message):
                loaded[user] = .unreadable(message)
            default:
                loaded[user] = .unreadable("unexpected GET reply")
            }
        }
        return loaded
    }

    /// Adds the writes of `plan` (the feedback of `event`) to `operations`, updating the in-memory
    /// suppression record and profile so later inputs of the batch see them; returns the status
    /// record to append once the script applied, if any. Throws, having changed nothing, when the
    /// plan changes suppressions and the user's record is unreadable (or was not loaded): a record
    /// that cannot be read is never replaced, because that would drop its bounces.
    func apply(
        _ plan: DeliveryFeedback, of event: Event, partition: Int, user: String, suppression: inout Loaded?,
        profile: inout [String: JSONValue], now: Date, to operations: inout AtomicOperations
    ) throws(EvaluatorInputError) -> StatusRecord? {
        let name = event.event ?? ""
        if !plan.suppressionUpdates.isEmpty {
            switch suppression {
            case .record(let record)?:
                let updated = record.applying(plan.suppressionUpdates)
                if updated != record {
                    operations.set(keyspace.suppression(partition, user: user), updated.json.serialized())
                }
                suppression = .record(updated)
            case .unreadable(let reason)?:
                throw .unreadableSuppression(user: user, partition: partition, event: name, reason: reason)
            case nil:
                throw .unreadableSuppression(user: user, partition: partition, event: name, reason: "not loaded")
            }
        }
        metrics.increment(.feedbackApplied, ["event": name])
        if let token = plan.removedPushToken, let kept = DeliveryFeedback.pushTokens(profile["pushTokens"], removing: token) {
            profile["pushTokens"] = kept
            operations.hset(keyspace.profile(partition, user: user), field: "pushTokens", value: kept.serialized())
        }
        guard let status = plan.status, let channel = plan.channel else { return nil }
        operations.hincrbyfloat(keyspace.deliveryStats(partition), field: "\(channel.rawValue):\(status.rawValue)", by: 1)
        var fields: [(String, any RedisArgument)] = [
            ("status", status.rawValue), ("id", plan.messageId ?? ""), ("userId", user), ("channel", channel.rawValue),
            ("source", "feedback"), ("event", name), ("eventMessageId", event.messageId),
            ("reportedAt", ISO8601.format(event.timestamp)), ("at", ISO8601.format(now)),
        ]
        if let reason = plan.reason { fields.append(("reason", reason)) }
        return StatusRecord(stream: keyspace.deliveries(forPartition: partition), fields: fields)
    }

    /// Appends applied inputs' status records to the delivery-record shards. The inputs are applied and
    /// their redeliveries answer `SKIP`, so a failed append cannot be retried: it is logged and
    /// counted (`herald_feedback_records_lost_total`) rather than passed over in silence.
    func appendRecords(_ records: [StatusRecord], connection: RedisConnection) async throws {
        if records.isEmpty { return }
        let replies = try await connection.pipeline(records.map {
            RedisCommand.xadd($0.stream, fields: $0.fields, trim: .maxLength(deliveries.maxLength, approximate: true))
        })
        for (record, reply) in zip(records, replies) {
            guard case .error(let message) = reply else { continue }
            let id = record.fields.first { $0.0 == "id" }.map { String(decoding: $0.1.redisBytes, as: UTF8.self) } ?? ""
            logger.error("feedback status record not written", ["id": .string(id), "error": .string(message)])
            metrics.increment(.feedbackRecordsLost)
        }
    }
}
