import Foundation
import HeraldCore

extension HeraldCtl {
    /// `dead-letter [--count N] [--json]` and `dead-letter replay ID… | --stream S | --all [--again] [--dry-run]`;
    /// `nil` for other commands.
    func runDeadLetterCommand(_ command: String, options: inout CommandOptions) async throws -> Int32? {
        guard command == "dead-letter" else { return nil }
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let count = try options.integer("--count") ?? 20
        let stream = try options.value("--stream")
        let json = options.flag("--json"), all = options.flag("--all"), again = options.flag("--again"), dryRun = options.flag("--dry-run")
        var positionals = options.positionals()
        if positionals.first == "replay" {
            positionals.removeFirst()
            return try await replayDeadLetters(ids: positionals, stream: stream, all: all, again: again, dryRun: dryRun, connection: connection)
        }
        let entries = try await connection.latestEntries(of: configuration.keyspace.allDeadLetterStreams, count: count)
        if entries.isEmpty {
            print(json ? "" : "(no dead letters)", terminator: json ? "" : "\n")
            return 0
        }
        for entry in entries {
            let letter = try? DeadLetter(entry: entry)
            if json {
                var members: [String: JSONValue] = ["id": .string(entry.id), "error": .string(letter?.error ?? entry["error"] ?? "")]
                if let letter {
                    members["stream"] = .string(letter.stream.rawValue)
                    members["deliveries"] = .number(Double(letter.deliveries))
                    // Decoded: a JSON field is shown as JSON, not as a string holding JSON.
                    members["original"] = .object(Dictionary(letter.original.map { field, value in
                        (field, (try? JSONValue.parse(value)) ?? .string(String(decoding: value, as: UTF8.self)))
                    }, uniquingKeysWith: { first, _ in first }))
                }
                print(JSONValue.object(members).serialized())
            } else {
                print("\(entry.id)  \(letter?.stream.rawValue ?? "?")  deliveries \(letter?.deliveries ?? 0)")
                print("  error: \(letter?.error ?? entry["error"] ?? "")")
                for (field, value) in letter?.original ?? [] {
                    let text = (try? JSONValue.parse(value)).map { $0.serialized() } ?? String(decoding: value, as: UTF8.self)
                    print("  \(field): \(text.count > 300 ? String(text.prefix(300)) + "…" : text)")
                }
            }
        }
        return 0
    }

    /// Puts the chosen dead letters back on their streams and records each replay.
    private func replayDeadLetters(
        ids: [String], stream: String?, all: Bool, again: Bool, dryRun: Bool, connection: RedisConnection
    ) async throws -> Int32 {
        guard all || stream != nil || !ids.isEmpty else { throw CommandOptionsError.missingArgument("ID…, --stream S or --all") }
        let keyspace = configuration.keyspace
        let entries = try await connection.allEntries(of: keyspace.allDeadLetterStreams)
        let replays = keyspace.replays
        let replayed = Set(RedisConnection.parseEntries(try await connection.send(.xrange(replays)).array ?? [], stream: replays).compactMap { $0["deadLetter"] })
        var chosen: [(StreamEntry, DeadLetter)] = []
        for entry in entries where all || ids.contains(entry.id) {
            guard let letter = try? DeadLetter(entry: entry) else {
                print("\(entry.id): names no stream; left alone")
                continue
            }
            if let stream, letter.stream.rawValue != stream, !letter.stream.rawValue.hasSuffix(stream) { continue }
            chosen.append((entry, letter))
        }
        for id in ids where !entries.contains(where: { $0.id == id }) { print("\(id): no such dead letter") }
        let operatorName = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        var done = 0
        for (entry, letter) in chosen {
            if replayed.contains(entry.id) && !again {
                print("\(entry.id): replayed before; left alone (--again to replay it once more)")
                continue
            }
            if dryRun {
                print("\(entry.id): would go back to \(letter.stream.rawValue) (\(letter.error))")
                continue
            }
            let newID = try await connection.send(letter.replayCommand(deadLetterID: entry.id)).string ?? ""
            try await connection.send(RedisCommand.xadd(replays, fields: [
                ("deadLetter", entry.id), ("stream", letter.stream), ("entry", newID), ("at", ISO8601.format(Date())),
                ("by", operatorName), ("error", letter.error),
            ], trim: .maxLength(100_000, approximate: true)))
            done += 1
            print("\(entry.id): replayed to \(letter.stream.rawValue) as \(newID)")
        }
        if !dryRun { print("replayed \(done) of \(chosen.count)") }
        return 0
    }
}
