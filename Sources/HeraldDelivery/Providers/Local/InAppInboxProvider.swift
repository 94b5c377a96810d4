import Foundation
import HeraldCore

/// In-app messages: a bounded per-user inbox in Redis (newest first) with an unread count, read by
/// app backends (see docs/delivery.md) and by `heraldctl inbox USER`.
public struct InAppInboxProvider: MessageProvider {
    /// `inbox`.
    public let name = "inbox"
    private let connection: RedisConnection
    private let keyspace: Keyspace
    /// Messages kept per user.
    public let capacity: Int

    /// Creates the provider on its own connection.
    public init(redis: RedisConfiguration, keyspace: Keyspace, capacity: Int = 100) {
        self.connection = RedisConnection(configuration: redis, label: "inbox")
        self.keyspace = keyspace
        self.capacity = capacity
    }

    /// Adds the message to the user's inbox; a retry of the same key does not add it twice.
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        let partition = keyspace.partition(ofUser: message.userId)
        var members: [String: JSONValue] = [
            "id": .string(message.idempotencyKey), "at": .string(ISO8601.format(Date())),
            "category": .string(message.category.rawValue),
        ]
        if let title = message.subject { members["title"] = .string(title) }
        if let body = message.text { members["body"] = .string(body) }
        if let payload = message.payload { members["data"] = payload }
        let inbox = keyspace.inbox(partition, user: message.userId)
        let unread = keyspace.inboxUnread(partition, user: message.userId)
        do {
            _ = try await connection.evaluate(
                Self.script, keys: [inbox, unread], arguments: [JSONValue.object(members).serialized(), message.idempotencyKey, capacity])
        } catch {
            throw .retryable(reason: "inbox write failed: \(error)")
        }
        return ProviderReceipt(providerMessageId: message.idempotencyKey)
    }

    /// Reads a user's inbox, newest first, and the unread count.
    public static func read(user: String, keyspace: Keyspace, connection: RedisConnection, count: Int = 20) async throws -> (messages: [JSONValue], unread: Int64) {
        let partition = keyspace.partition(ofUser: user)
        let replies = try await connection.pipeline([
            .lrange(keyspace.inbox(partition, user: user), from: 0, through: count - 1),
            .get(keyspace.inboxUnread(partition, user: user)),
        ])
        let messages = (replies[0].array ?? []).compactMap { $0.bytes.flatMap { try? JSONValue.parse($0) } }
        return (messages, replies[1].int ?? 0)
    }

    static let script = HeraldScripts.inboxAdd
}
