import Foundation
import HeraldCore
import HeraldDelivery

extension HeraldCtl {
    /// `deliveries [--count N] [--status S] [--user U] [--journey J] [--json]` and `deliveries replay KEY… | --unknown [--dry-run]`;
    /// `nil` for other commands.
    func runDeliveriesCommand(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        guard command == "deliveries" else { return nil }
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        // Options with values first, so what is left are the positionals.
        let count = try options.integer("--count") ?? 20
        let status = try options.value("--status")
        let user = try options.value("--user"), journey = try options.value("--journey")
        var positionals = options.positionals()
        if positionals.first == "replay" {
            positionals.removeFirst()
            return try await replayUnknown(keys: positionals, all: options.flag("--unknown"), dryRun: options.flag("--dry-run"), connection: connection)
        }
        let entries = try await latestDeliveries(count: count, connection: connection) { entry in
            (status == nil || entry["status"] == status) && (user == nil || entry["userId"] == user) && (journey == nil || entry["journey"] == journey)
        }
        if options.flag("--json") {
            // The stored request is JSON, so it is shown as JSON, not as a string holding JSON.
            for entry in entries { print(JSONValue.object(Self.decodedFields(entry)).serialized()) }
            return 0
        }
        if entries.isEmpty {
            let filters = [status.map { "status \($0)" }, user.map { "user \($0)" }, journey.map { "journey \($0)" }].compactMap { $0 }
            print(filters.isEmpty ? "(no deliveries yet)" : "(no deliveries with \(filters.joined(separator: ", ")))")
            return 0
        }
        let rows = entries.map { entry in
            [
                entry["at"] ?? "", entry["status"] ?? "", entry["userId"] ?? "", "\(entry["journey"] ?? "")/\(entry["step"] ?? "")",
                entry["channel"] ?? "", entry["template"] ?? "", entry["reason"] ?? entry["latencyMs"].map { "\($0) ms after the event" } ?? "",
            ]
        }
        print(TextTable.render(header: ["AT", "STATUS", "USER", "JOURNEY/STEP", "CHANNEL", "TEMPLATE", "DETAIL"], rows: rows))
        return 0
    }

    /// The newest `count` records that pass `keep` over every delivery-record shard, oldest first.
    private func latestDeliveries(count: Int, connection: RedisConnection, keep: (StreamEntry) -> Bool) async throws -> [StreamEntry] {
        try await connection.latestEntries(of: configuration.keyspace.allDeliveryStreams, count: count, keep: keep)
    }

    /// Puts parked sends back on their outboxes: the ones named by idempotency key, or every one
    /// (`--unknown`). A key that is no longer parked (sent or replayed since) is left alone.
    private func replayUnknown(keys: [String], all: Bool, dryRun: Bool, connection: RedisConnection) async throws -> Int32 {
        guard all || !keys.isEmpty else {
            throw CommandOptionsError.missingArgument("KEY… or --unknown")
        }
        let keyspace = configuration.keyspace
        var requests: [String: SendRequest] = [:]
        for entry in try await latestDeliveries(count: Int.max, connection: connection, keep: { $0["status"] == DeliveryStatus.unknown.rawValue }) {
            guard let key = entry["id"], all || keys.contains(key), let bytes = entry.bytes("request") else { continue }
            requests[key] = try SendRequest(json: try JSONValue.parse(bytes))
        }
        for key in keys where requests[key] == nil {
            print("\(key): no unknown delivery record with this idempotency key")
        }
        var replayed = 0
        for (key, request) in requests.sorted(by: { $0.key < $1.key }) {
            let partition = keyspace.partition(ofUser: request.userId)
            if dryRun {
                print("\(key): would replay \(request.channel.rawValue) \(request.template) to \(request.userId)")
                continue
            }
            let reply = try await connection.send(HeraldScripts.idempotencyReplay.command(
                keys: [keyspace.idempotency(partition, key: key), keyspace.outbox(partition, request.channel)],
                arguments: [request.json.serialized()]))
            if reply.int == nil {
                replayed += 1
                print("\(key): replayed \(request.channel.rawValue) \(request.template) to \(request.userId)")
            } else {
                print("\(key): not parked any more (sent or replayed since); left alone")
            }
        }
        if !dryRun { print("replayed \(replayed) of \(requests.count)") }
        return 0
    }
}
