import Foundation
import HeraldCore
import HeraldDelivery

extension HeraldCtl {
    /// `inbox USER [--count N] [--mark-read] [--json]`: a user's in-app inbox, newest first, and the unread
    /// count; `--mark-read` resets the count after printing. `nil` for other commands.
    func runInboxCommand(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        guard command == "inbox" else { return nil }
        let user = try options.requiredPositional("USER")
        let count = try options.integer("--count") ?? 20
        let markRead = options.flag("--mark-read")
        let keyspace = configuration.keyspace
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let json = options.flag("--json")
        let (messages, unread) = try await InAppInboxProvider.read(user: user, keyspace: keyspace, connection: connection, count: max(1, count))
        if json {
            print(JSONValue.object(["user": .string(user), "unread": .number(Double(unread)), "messages": .array(messages)]).serialized())
        } else {
            print("unread: \(unread)")
            if messages.isEmpty { print("(inbox of \(user) is empty)") }
            for message in messages { print(message.serialized()) }
        }
        if markRead {
            let partition = keyspace.partition(ofUser: user)
            _ = try await connection.send(.set(keyspace.inboxUnread(partition, user: user), to: 0))
            if !json { print("marked read") }
        }
        return 0
    }
}
