import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway `redis-server` on a free loopback port, driven through `redis-cli`.
///
/// Not shared between tests: each test starts its own and stops it when done.
final class RedisTestServer {
    /// Failures starting or talking to the server.
    enum Failure: Error, CustomStringConvertible {
        case noFreePort(errno: Int32)
        case notReady(port: Int)
        case command(arguments: [String], status: Int32, output: String)

        var description: String {
            switch self {
            case .noFreePort(let code): return "could not find a free port (errno \(code))"
            case .notReady(let port): return "redis-server on port \(port) did not answer PING"
            case .command(let arguments, let status, let output): return "redis-cli \(arguments) exited \(status): \(output)"
            }
        }
    }

    let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Starts a server with persistence off and waits until it answers.
    static func start() throws -> RedisTestServer {
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = RedisTestServer(port: port, process: process)
        for _ in 0..<100 {
            if (try? server.command(["PING"])) == ["PONG"] { return server }
            usleep(50_000)
        }
        server.stop()
        throw Failure.notReady(port: port)
    }

    /// Stops the server and waits for it to exit. Children inherit the test runner's blocked
    /// signal mask, so SIGTERM is not enough: ask it to shut down, then SIGKILL if it is still there.
    func stop() {
        guard process.isRunning else { return }
        _ = try? command(["SHUTDOWN", "NOSAVE"])
        for _ in 0..<40 where process.isRunning { usleep(25_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs one command; the reply's lines (redis-cli's raw form: one array element per line).
    func command(_ arguments: [String]) throws -> [String] {
        let (child, output) = try launch(arguments)
        return try finish(child, output, arguments: arguments)
    }

    /// Runs `EVAL script numkeys keys… args…`.
    func eval(_ script: String, keys: [String], arguments: [String]) throws -> [String] {
        try command(["EVAL", script, String(keys.count)] + keys + arguments)
    }

    /// Runs the same kind of `EVAL` from many redis-cli processes at once: all are started before
    /// any is waited for, so they reach the server concurrently.
    func concurrentEvals(_ script: String, keys: [String], argumentSets: [[String]]) throws -> [[String]] {
        let started = try argumentSets.map { try launch(["EVAL", script, String(keys.count)] + keys + $0) }
        return try started.enumerated().map { index, pair in try finish(pair.0, pair.1, arguments: argumentSets[index]) }
    }

    // Output goes to a file, not a pipe: a pipe's write end can leak into a redis-server started
    // by a concurrent test, and then its reader never sees end-of-file.
    private func launch(_ arguments: [String]) throws -> (Process, URL) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("herald-cli-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw Failure.command(arguments: arguments, status: -1, output: "cannot create \(output.path)")
        }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        child.arguments = ["-h", "127.0.0.1", "-p", String(port)] + arguments
        child.standardOutput = handle
        child.standardError = handle
        child.standardInput = FileHandle.nullDevice
        try child.run()
        return (child, output)
    }

    private func finish(_ child: Process, _ outputFile: URL, arguments: [String]) throws -> [String] {
        child.waitUntilExit()
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let output = String(decoding: (try? Data(contentsOf: outputFile)) ?? Data(), as: UTF8.self)
        guard child.terminationStatus == 0, !output.hasPrefix("ERR"), !output.hasPrefix("(error)") else {
            throw Failure.command(arguments: arguments, status: child.terminationStatus, output: output)
        }
        var lines = output.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// A port nothing listens on: bind port 0 on loopback, read what the kernel chose, close.
    private static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Failure.noFreePort(errno: errno) }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketFD, generic, length) == 0 && getsockname(socketFD, generic, &length) == 0
            }
        }
        guard bound else { throw Failure.noFreePort(errno: errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
