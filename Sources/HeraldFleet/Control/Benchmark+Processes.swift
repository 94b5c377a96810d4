import Foundation
import HeraldCore

extension Benchmark {
    /// The redis-server process of each master that runs on this machine (loopback address), from
    /// `INFO server`'s `process_id`.
    func redisProcesses(_ masters: [RedisNodeAddress], _ connection: RedisConnection) async throws -> [BenchmarkProcess] {
        var found: [BenchmarkProcess] = []
        for node in masters where ["127.0.0.1", "localhost", "::1"].contains(node.host) {
            let info = try await connection.send(.info("server"), toMaster: node).string ?? ""
            let pid = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("process_id:") }
                .flatMap { Int32($0.dropFirst("process_id:".count).trimmingCharacters(in: .whitespaces)) }
            guard let pid else { continue }
            found.append(BenchmarkProcess(name: masters.count == 1 ? "redis-server" : "redis-server@\(node.port)", pid: pid))
        }
        return found
    }

    /// Waits until every partition's lease is held and `replicas` evaluators hold them between
    /// them, so a run with several replicas measures them all at work rather than one of them
    /// still holding every partition.
    func waitForEvaluatorLeases(_ connection: RedisConnection) async throws {
        let deadline = ContinuousClock.now + timeout
        let leases = keyspace.allPartitions.map { RedisCommand.get(keyspace.lease($0)) }
        var owners: Set<String> = []
        while ContinuousClock.now < deadline {
            let values = try await connection.pipeline(leases).map(\.string)
            // A lease's value is `owner/token` (lease.lua).
            owners = Set(values.compactMap { value in value.flatMap { text in text.lastIndex(of: "/").map { String(text[..<$0]) } } })
            if values.allSatisfy({ $0 != nil }) && owners.count == replicas { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkError.leasesNotShared(owners: owners.count, replicas: replicas)
    }
}
