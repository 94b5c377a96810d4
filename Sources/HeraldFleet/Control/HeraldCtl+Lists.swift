import Foundation
import HeraldCore

extension HeraldCtl {
    /// The lists command's usage lines.
    static let listsUsage = """
          lists NAME [--json]           a list's members (journeys' updateLists steps), each with when they
                                        joined; read from the list's key in every partition
          lists --user USER [--json]    the lists one user is a member of, with when they joined each
        """

    /// `lists NAME` or `lists --user USER`; `nil` for any other command.
    func runListsCommand(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        guard command == "lists" else { return nil }
        let keyspace = configuration.keyspace
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let json = options.flag("--json")
        if let user = try options.value("--user") {
            let partition = keyspace.partition(ofUser: user)
            let reply = try await connection.send(.hgetall(keyspace.memberships(partition, user: user)))
            if case .error(let message) = reply { throw RedisServerError(command: "HGETALL", message: message) }
            let pairs = reply.array ?? []
            var joined: [(list: String, at: Int64)] = []
            for index in stride(from: 0, to: pairs.count - 1, by: 2) {
                guard let list = pairs[index].string else { continue }
                joined.append((list, pairs[index + 1].string.flatMap { Int64($0) } ?? 0))
            }
            joined.sort { $0.list < $1.list }
            if json {
                print(JSONValue.object([
                    "user": .string(user),
                    "lists": .array(joined.map { .object(["list": .string($0.list), "joinedAt": .string(Self.isoTime($0.at))]) }),
                ]).serialized())
            } else if joined.isEmpty {
                print("(\(user) is in no list)")
            } else {
                print(TextTable.render(header: ["LIST", "JOINED"], rows: joined.map { [$0.list, Self.isoTime($0.at)] }))
            }
            return 0
        }
        let name = try options.requiredPositional("NAME")
        // One ZRANGE per partition: each list key lives in its partition's slot, so this works the
        // same on one Redis and on a Redis Cluster.
        let replies = try await connection.pipeline(keyspace.allPartitions.map { partition in
            .zrangeWithScores(keyspace.listMembers(partition, list: name), from: 0, through: -1)
        })
        var members: [(user: String, at: Int64)] = []
        for reply in replies {
            if case .error(let message) = reply { throw RedisServerError(command: "ZRANGE", message: message) }
            let pairs = reply.array ?? []
            for index in stride(from: 0, to: pairs.count - 1, by: 2) {
                guard let user = pairs[index].string else { continue }
                members.append((user, pairs[index + 1].string.flatMap { Double($0) }.map { Int64($0) } ?? 0))
            }
        }
        members.sort { ($0.at, $0.user) < ($1.at, $1.user) }
        if json {
            for member in members {
                print(JSONValue.object(["list": .string(name), "user": .string(member.user), "joinedAt": .string(Self.isoTime(member.at))]).serialized())
            }
        } else if members.isEmpty {
            print("(list \(name) has no members)")
        } else {
            print(TextTable.render(header: ["USER", "JOINED"], rows: members.map { [$0.user, Self.isoTime($0.at)] }))
            print("\(members.count) member\(members.count == 1 ? "" : "s")")
        }
        return 0
    }

    /// Unix milliseconds as ISO 8601.
    static func isoTime(_ milliseconds: Int64) -> String {
        ISO8601.format(Date(unixMilliseconds: milliseconds))
    }
}
