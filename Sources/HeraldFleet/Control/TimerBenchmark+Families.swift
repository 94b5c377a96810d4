import Foundation
import HeraldCore

extension TimerBenchmark {
    /// Every key of the keyspace's prefix on the server, grouped by family
    /// (`TimerBenchmarkKeyFamily.family(of:prefix:)`), costliest first. `MEMORY USAGE … SAMPLES 0`
    /// counts every element, the key's name and its entry in the key table, not its expiry entry.
    func keyFamilies(_ connection: RedisConnection) async throws -> [TimerBenchmarkKeyFamily] {
        var keys: [RedisKey] = []
        try await connection.scanKeys(matching: keyspace.prefix + ":*", count: 5000) { keys += $0 }
        var usage: [(key: String, bytes: Int64)] = []
        usage.reserveCapacity(keys.count)
        var index = 0
        while index < keys.count {
            let chunk = Array(keys[index..<min(index + 5000, keys.count)])
            let replies = try await connection.pipeline(chunk.map { .memoryUsage($0) })
            for (key, reply) in zip(chunk, replies) { usage.append((key.rawValue, reply.int ?? 0)) }
            index += 5000
        }
        return TimerBenchmarkKeyFamily.group(usage, prefix: keyspace.prefix)
    }
}
