import Foundation
import HeraldCore

extension TimerBenchmark {
    /// One key family's share of Redis memory: the keys of one name (`state`, `trail-log`,
    /// `timers`…, the part after the partition's hash tag) and the sum of their `MEMORY USAGE`.
    struct KeyFamily: Sendable {
        var name: String
        var keys: Int
        var bytes: Int64
    }

    /// Every key of the keyspace's prefix on the server, grouped by family (`family(of:)`), costliest
    /// first; `MEMORY USAGE … SAMPLES 0` counts every element, the key's name and its entry.
    func keyFamilies(_ connection: RedisConnection) async throws -> [KeyFamily] {
        var keys: [RedisKey] = []
        try await connection.scanKeys(matching: keyspace.prefix + ":*", count: 5000) { keys += $0 }
        var families: [String: KeyFamily] = [:]
        var index = 0
        while index < keys.count {
            let chunk = Array(keys[index..<min(index + 5000, keys.count)])
            let replies = try await connection.pipeline(chunk.map { .memoryUsage($0) })
            for (key, reply) in zip(chunk, replies) {
                let name = family(of: key)
                families[name, default: KeyFamily(name: name, keys: 0, bytes: 0)].keys += 1
                families[name, default: KeyFamily(name: name, keys: 0, bytes: 0)].bytes += reply.int ?? 0
            }
            index += 5000
        }
        return families.values.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.name < $1.name }
    }

    /// The family of a key: its first name after the prefix and any hash tag (`herald:{p3}:state:u1`
    /// is `state`, `herald:ingest` is `ingest`).
    func family(of key: RedisKey) -> String {
        var rest = Substring(key.rawValue)
        if rest.hasPrefix(keyspace.prefix + ":") { rest = rest.dropFirst(keyspace.prefix.count + 1) }
        if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}") { rest = rest[rest.index(after: close)...].drop { $0 == ":" } }
        return String(rest.prefix { $0 != ":" })
    }

    /// The families as `name bytes-per-instance (keys)`, for one line of the report.
    static func describe(_ families: [KeyFamily], per count: Int) -> String {
        families.map { "\($0.name) \(String(format: "%.1f", Double($0.bytes) / Double(max(count, 1)))) (\($0.keys) keys)" }
            .joined(separator: ", ")
    }
}
