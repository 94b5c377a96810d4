import Foundation
import HeraldCore

extension TimerBenchmark {
    /// Runs `phase`, printing human lines; returns its figures.
    public func run(_ phase: TimerBenchmarkPhase) async throws -> [String: String] {
        let connection = RedisConnection(configuration: redis, label: "bench-timers")
        let tag = Self.runTag()
        do {
            let results: [String: String]
            switch phase {
            case .timers:
                var figures = try await runLateness(connection, tag: tag)
                figures.merge(try await runBurst(connection, tag: tag)) { $1 }
                results = figures
            case .burst:
                results = try await runBurst(connection, tag: tag)
            case .instances:
                results = try await runInstances(connection, tag: tag)
            }
            await connection.close()
            return results
        } catch {
            await connection.close()
            throw error
        }
    }
}
