import Foundation
import HeraldTestSupport
import Testing

/// Every executable answers `--help` with its usage and exit 0, without connecting to Redis.
@Suite struct HelpTests {
    static let executables = [
        "herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender", "herald-sms-sender", "herald-push-sender",
        "herald-webhook-sender", "herald-inapp-sender", "herald-edge", "heraldctl", "herald-bench",
    ]

    @Test(arguments: executables) func helpPrintsUsageAndExitsZeroWithoutRedis(_ name: String) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-help-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: log) }
        // A malformed REDIS_URL: reading the configuration, let alone connecting, would fail.
        let child = try ChildProcess(
            path: Executables.productsDirectory.appendingPathComponent(name).path, arguments: ["--help"],
            environment: ProcessInfo.processInfo.environment.merging(["REDIS_URL": "not-a-url", "HERALD_PARTITIONS": "x"]) { _, new in new },
            output: log.path)
        let status = child.wait()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(status == 0, "\(name) --help exited \(status): \(output)")
        #expect(output.contains("usage: \(name)"), "\(output)")
    }
}
