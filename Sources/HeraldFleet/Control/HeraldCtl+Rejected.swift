import Foundation
import HeraldCore

extension HeraldCtl {
    /// `rejected [--count N] [--json]`: the newest rejected payloads, oldest first, each with its
    /// reason; the payload is shown as the JSON it is (or as its text when it is not JSON).
    func printRejected(count: Int, json: Bool) async throws {
        let connection = RedisConnection(configuration: configuration.redis, label: "ctl")
        let streams = configuration.keyspace.allRejectedStreams
        let entries = try await connection.latestEntries(of: streams, count: count)
        if entries.isEmpty && !json { print("(no entries in \(streams.map(\.rawValue).joined(separator: ", ")))") }
        for entry in entries {
            let fields = Self.decodedFields(entry)
            if json {
                print(JSONValue.object(fields).serialized())
                continue
            }
            print("\(entry.id)  \(entry["code"] ?? "?"): \(entry["reason"] ?? "")")
            if let payload = entry.bytes("payload") {
                print("  payload: \(Self.shown(payload))")
            }
            for (field, value) in entry.fields where field.hasPrefix("field.") {
                print("  \(field.dropFirst(6)): \(Self.shown(value))")
            }
        }
    }

    /// An entry's fields for `--json`: `id` plus every field, one holding a JSON object or array
    /// as that JSON (not a string of it), any other as its text (so a value such as `42` keeps
    /// the type it is stored with, a string).
    static func decodedFields(_ entry: StreamEntry) -> [String: JSONValue] {
        var members: [String: JSONValue] = ["id": .string(entry.id)]
        for (field, value) in entry.fields where members[field] == nil {
            members[field] = decoded(value)
        }
        return members
    }

    /// One field value as JSON when it holds an object or array, else as a string.
    static func decoded(_ value: [UInt8]) -> JSONValue {
        if let first = value.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
            let parsed = try? JSONValue.parse(value)
        {
            return parsed
        }
        return .string(String(decoding: value, as: UTF8.self))
    }

    /// A field value for the human format: compact JSON when it is JSON, else its text, cut at 300 characters.
    static func shown(_ value: [UInt8]) -> String {
        let text: String
        if case .string(let plain) = decoded(value) { text = plain } else { text = decoded(value).serialized() }
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
