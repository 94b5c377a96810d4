import Foundation
import HeraldCore

extension HeraldCtl {
    /// The erasure command's usage lines.
    static let forgetUsage = """
          forget USER [--by NAME] [--timeout S]
                                        erase a person (UserErasure): sends `Forget User` and waits for the
                                        evaluator's record in herald:erasures (who, when, what; no data)
        """

    /// Runs `forget`; `nil` for any other command.
    func runForgetCommand(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        guard command == "forget" else { return nil }
        let user = try options.requiredPositional("USER")
        let requestedBy = "heraldctl:" + ((try options.value("--by")) ?? ProcessInfo.processInfo.environment["USER"] ?? "operator")
        let timeout = Double(try options.integer("--timeout") ?? 30)
        let keyspace = configuration.keyspace
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        // The request id names no one, so the record that points back to it names no one either.
        let request = "forget-" + UUID().uuidString.lowercased()
        let start = Date().unixMilliseconds
        let identity: (String, JSONValue) = user.hasPrefix("anon:") ? ("anonymousId", .string(String(user.dropFirst(5)))) : ("userId", .string(user))
        let event: JSONValue = .object([
            "type": "track", "event": .string(UserErasure.eventName), "messageId": .string(request), identity.0: identity.1,
            "timestamp": .string(ISO8601.format(Date())), "properties": .object(["requestedBy": .string(requestedBy)]),
        ])
        try await connection.xadd(keyspace.ingest(forUser: user), fields: [("event", event.serialized())])
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let records = RedisConnection.parseEntries(try await connection.send(.xrange(keyspace.erasures, from: "\(start)-0")).array ?? [], stream: keyspace.erasures)
            if let record = records.first(where: { $0["request"] == request }) {
                print("erased (request \(request), by \(record["requestedBy"] ?? requestedBy), at \(record["at"] ?? "")): \(record["erased"] ?? "")")
                return 0
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        FileHandle.standardError.write(Data("heraldctl: no evaluator applied \(request) within \(Int(timeout)) s; the request stays queued and is applied when one runs\n".utf8))
        return 1
    }
}
