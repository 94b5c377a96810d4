import Foundation
import HeraldCore
import HeraldTestSupport

/// One Herald executable started by a test as a real process, its output kept in a file.
final class FleetProcessHandle: @unchecked Sendable {
    // @unchecked: the Process is started in init and only signalled and awaited by the owning test.
    let name: String
    let process: ChildProcess
    let logFile: URL

    init(_ name: String, environment: [String: String], unset: Set<String> = []) throws {
        self.name = name
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process = try ChildProcess(
            path: Executables.productsDirectory.appendingPathComponent(name).path, arguments: [],
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new }.filter { !unset.contains($0.key) },
            output: logFile.path)
    }

    /// Sends SIGTERM and waits; returns the exit status and how long the exit took.
    func terminate() -> (status: Int32, seconds: Double) {
        let started = Date()
        process.signal(SIGTERM)
        let status = process.wait()
        return (status, Date().timeIntervalSince(started))
    }

    /// Sends SIGKILL (a crash) and waits.
    func kill() {
        process.signal(SIGKILL)
        process.wait()
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning {
            process.signal(SIGKILL)
            process.wait()
        }
        try? FileManager.default.removeItem(at: logFile)
    }
}

/// A fresh keyspace prefix per test, so tests sharing a server never see each other's keys.
func testKeyspace(partitions: Int = 4, ingestShards: Int = 1) -> Keyspace {
    Keyspace(prefix: "t" + UUID().uuidString.prefix(8).lowercased(), partitions: partitions, ingestShards: ingestShards)
}
