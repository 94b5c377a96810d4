import Foundation
import HeraldCore
import HeraldDelivery

/// The evaluator's side of feedback events: loads the suppression records they change, adds their
/// writes (suppression record, profile `pushTokens`, per-channel status counter) to the input's
/// atomic `apply-effects.lua` call, and, once that call has applied (`OK`, not `SKIP`), appends
/// the status record to the fleet-wide `herald:deliveries` stream, which has no partition hash tag
/// and so cannot be written by the partition's script.
struct FeedbackWriter: Sendable {
    let keyspace: Keyspace
    let logger: Logger
    let metrics: Metrics

    /// A `herald:deliveries` record to append after the input's script applied.
    struct StatusRecord: Sendable {
        var fields: [(String, any RedisArgument)]
    }

    /// A user's stored suppression record, or why it cannot be changed safely.
    enum Loaded: Sendable {
        case record(SuppressionRecord)
        case unreadable(String)
    }

    /// The users (user → partition) whose inputs include feedback events.
    func feedbackUsers(_ events: [(Event, Int)]) -> [String: Int] {
        var users: [String: Int] = [:]
        for (event, partition) in events where event.type == .track && DeliveryFeedback.names.contains(event.event ?? "") {
            users[event.userKey] = partition
        }
        return users
    }

    /// Loads the suppression records of `users` in one pipeline.
    func loadSuppressions(_ users: [String: Int], connection: RedisConnection) async throws -> [String: Loaded] {
        if users.isEmpty { return [:] }
        let list = Array(users)
        let replies = try await connection.pipeline(list.map { RedisCommand("GET", [keyspace.suppression($0.value, user: $0.key)]) })
        var loaded: [String: Loaded] = [:]
        for ((user, _), reply) in zip(list, replies) {
            guard let bytes = reply.bytes else {
                loaded[user] = .record(SuppressionRecord())
                continue
            }
            do {
                loaded[user] = .record(try SuppressionRecord(json: try JSONValue.parse(bytes)))
            } catch {
                loaded[user] = .unreadable("\(error)")
            }
        }
        return loaded
    }

    /// Adds the writes of `event`'s feedback to `operations`, updating the in-memory suppression
    /// record and profile so later inputs of the batch see them; returns the status record to append
    /// once the script applied, if any.
    func apply(
        _ event: Event, partition: Int, user: String, suppression: inout Loaded?, profile: inout [String: JSONValue],
        now: Date, to operations: inout AtomicOperations
    ) -> StatusRecord? {
        let plan: DeliveryFeedback
        do {
            guard let planned = try DeliveryFeedback.plan(for: event) else { return nil }
            plan = planned
        } catch {
            logger.warning("feedback event not applied", ["user": .string(user), "event": .string(event.event ?? ""), "error": .string(error.description)])
            metrics.increment("herald_feedback_invalid_total", help: "Feedback events lacking what they need")
            return nil
        }
        metrics.increment("herald_feedback_total", labels: ["event": event.event ?? ""], help: "Feedback events applied")
        if !plan.suppressionUpdates.isEmpty {
            switch suppression ?? .record(SuppressionRecord()) {
            case .record(let record):
                let updated = record.applying(plan.suppressionUpdates)
                if updated != record {
                    operations.set(keyspace.suppression(partition, user: user), updated.json.serialized())
                }
                suppression = .record(updated)
            case .unreadable(let reason):
                // Never overwrite a record we cannot read: that would drop its bounces.
                logger.error("suppression record unreadable; feedback not applied to it", ["user": .string(user), "error": .string(reason)])
            }
        }
        if let token = plan.removedPushToken, let kept = DeliveryFeedback.pushTokens(profile["pushTokens"], removing: token) {
            profile["pushTokens"] = kept
            operations.hset(keyspace.profile(partition, user: user), field: "pushTokens", value: kept.serialized())
        }
        guard let status = plan.status, let channel = plan.channel else { return nil }
        operations.hincrbyfloat(keyspace.deliveryStats(partition), field: "\(channel.rawValue):\(status.rawValue)", by: 1)
        var fields: [(String, any RedisArgument)] = [
            ("status", status.rawValue), ("id", plan.messageId ?? ""), ("userId", user), ("channel", channel.rawValue),
            ("source", "feedback"), ("event", event.event ?? ""), ("eventMessageId", event.messageId),
            ("reportedAt", ISO8601.format(event.timestamp)), ("at", ISO8601.format(now)),
        ]
        if let reason = plan.reason { fields.append(("reason", reason)) }
        return StatusRecord(fields: fields)
    }

    /// The commands appending applied inputs' status records to `herald:deliveries`.
    func recordCommands(_ records: [StatusRecord]) -> [RedisCommand] {
        records.map { RedisConnection.xaddCommand(keyspace.deliveries, fields: $0.fields, maxLength: 1_000_000) }
    }
}
