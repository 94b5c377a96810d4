import Foundation
import HeraldCore
import HeraldFleet

// Drives a running fleet (scripts/bench starts it) and prints throughput, latency, and Redis's own
// pipelined XADD rate measured in the same run. Not a test: it prints figures.
let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
    return value
}
do {
    let configuration = try FleetConfiguration()
    let benchmark = Benchmark(
        keyspace: configuration.keyspace, redis: configuration.redis, events: option("--events", 100_000),
        users: option("--users", 10_000), timeout: .seconds(option("--timeout", 600)))
    let report = try await benchmark.run()
    print(report.summary)
    exit(0)
} catch {
    FileHandle.standardError.write(Data("herald-bench: \(error)\n".utf8))
    exit(1)
}
