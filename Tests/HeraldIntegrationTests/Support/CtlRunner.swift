import Foundation
import HeraldTestSupport

/// Runs `heraldctl` as a process against a fleet's Redis and keyspace.
enum CtlRunner {
    /// The exit code and everything the command printed; `extra` overrides the fleet's environment.
    static func run(_ fleet: FleetHarness, _ arguments: [String], environment extra: [String: String] = [:]) throws -> (code: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("heraldctl-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let child = try ChildProcess(
            path: Executables.productsDirectory.appendingPathComponent("heraldctl").path, arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(fleet.environment(extra)) { _, new in new }, output: log.path)
        let code = child.wait()
        return (code, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
