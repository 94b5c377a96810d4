import Foundation
import HeraldTestSupport

/// Debian's `promtool` (scripts/lib/setup.sh `herald_ensure_promtool` unpacks it into
/// .herald/prometheus; `HERALD_PROMTOOL` names it), run on files and standard input.
enum Promtool {
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["HERALD_PROMTOOL"], !path.isEmpty { return path }
        return Executables.packageRoot.appendingPathComponent(".herald/prometheus/usr/bin/promtool").path
    }

    /// Runs `promtool arguments…` with `input` on standard input; the exit status and everything it printed.
    static func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw FixtureError.missing("promtool is not at \(path): run `source scripts/lib/setup.sh && herald_ensure_promtool`")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
