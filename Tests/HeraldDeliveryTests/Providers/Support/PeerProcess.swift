import Foundation
import HeraldCore
import HeraldTestSupport

/// A Python test peer from `Tests/HeraldDeliveryTests/Peers`, started on a free loopback port and
/// stopped when the test ends.
final class PeerProcess {
    /// The loopback port it listens on.
    let port: Int
    /// A scratch directory for the peer's records, removed on `stop()`.
    let directory: URL
    private let process: Process

    /// The folder holding the peer scripts.
    static let peersDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Peers")

    /// Starts `script` with `--port PORT --dir DIR` and `arguments`, then waits (without blocking a
    /// thread) until it accepts connections.
    static func start(script: String, arguments: [String] = []) async throws -> PeerProcess {
        let peer = try PeerProcess(script: script, arguments: arguments)
        let deadline = Date().addingTimeInterval(20)
        while !FreePort.accepts(port: peer.port) {
            guard peer.process.isRunning, Date() < deadline else {
                peer.stop(keepDirectory: true)
                let output = (try? String(contentsOf: peer.directory.appendingPathComponent("peer.log"), encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(at: peer.directory)
                throw PeerError(message: "\(script) did not start listening on \(peer.port): \(output)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return peer
    }

    private init(script: String, arguments: [String]) throws {
        port = try FreePort.find()
        directory = try PeerProcess.makeTemporaryDirectory()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", PeerProcess.peersDirectory.appendingPathComponent(script).path,
                             "--port", String(port), "--dir", directory.path] + arguments
        let log = directory.appendingPathComponent("peer.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
    }

    /// Stops the peer and removes its directory (unless `keepDirectory`).
    func stop(keepDirectory: Bool = false) {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        // A peer that crashed inside a handler explains a failing test better than the client's error.
        if let log = try? String(contentsOf: directory.appendingPathComponent("peer.log"), encoding: .utf8), log.contains("Traceback") {
            FileHandle.standardError.write(Data("peer log (\(directory.path)):\n\(log)\n".utf8))
        }
        if !keepDirectory { try? FileManager.default.removeItem(at: directory) }
    }

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The JSON records the peer wrote (`1.json`, `2.json` …), in order, waiting up to `timeout` for `count`.
    func records(count: Int, timeout: Double = 10) async throws -> [JSONValue] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".json") }
                .sorted { (Int($0.dropLast(5)) ?? 0) < (Int($1.dropLast(5)) ?? 0) }
            if names.count >= count || Date() >= deadline {
                return try names.map { name in
                    try JSONValue.parse(String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A new empty temporary directory.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("herald-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `command` (through `env`, so from `PATH`) and returns its standard output; throws with the error output when it exits non-zero.
    @discardableResult
    static func run(_ command: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let inputPipe = Pipe()
        process.standardInput = inputPipe
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inputPipe.fileHandleForWriting.close()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PeerError(message: "\(command.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: outData, as: UTF8.self)
    }

    /// Runs a peer script with `python3`.
    @discardableResult
    static func python(_ script: String, _ arguments: [String] = [], input: String? = nil) throws -> String {
        try run(["python3", peersDirectory.appendingPathComponent(script).path] + arguments, input: input)
    }
}
