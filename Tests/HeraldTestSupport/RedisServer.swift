import Foundation
import HeraldCore

/// A real redis-server started by a test on a free loopback port, with its data in a temporary
/// directory (AOF on, so a restart keeps what was acknowledged).
public final class RedisServer: @unchecked Sendable {
    // @unchecked: `process` is replaced only by start/stop, which tests call sequentially.
    /// The loopback port it listens on (kept across restarts).
    public let port: Int
    /// Its data directory (the AOF and `redis.log`), removed when the server is released.
    public let directory: URL
    private var process: ChildProcess?
    private let extraArguments: [String]

    /// Starts a server; `extraArguments` are appended to its command line (later ones win).
    public init(extraArguments: [String] = []) throws {
        self.extraArguments = extraArguments
        port = try FreePort.find()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-redis-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try start()
    }

    /// How HeraldCore's client reaches it.
    public var configuration: RedisConfiguration { RedisConfiguration(host: "127.0.0.1", port: port) }
    /// Its `redis://` URL, as the fleet's processes take it.
    public var url: String { "redis://127.0.0.1:\(port)" }

    /// Starts the server (again) on the same port and directory and waits until it answers `PING`.
    public func start() throws {
        let process = try ChildProcess(
            path: try Executables.find("redis-server"),
            arguments: [
                "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--appendonly", "yes",
                "--appendfsync", "always", "--save", "", "--logfile", directory.appendingPathComponent("redis.log").path,
            ] + extraArguments,
            environment: ProcessInfo.processInfo.environment, output: nil)
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            // Listening is not enough: while it loads its AOF after a restart Redis answers LOADING.
            if FreePort.answersPong(port: port) { return }
            usleep(20_000)
        }
        throw FixtureError.timeout("redis-server on port \(port) did not start")
    }

    /// Stops it with SIGTERM and waits for it to exit; nothing when it is not running.
    public func stop() {
        guard let process else { return }
        process.signal(SIGTERM)
        process.wait()
        self.process = nil
    }

    /// Stops it and starts it again (what was acknowledged survives in the AOF).
    public func restart() throws {
        stop()
        try start()
    }

    /// A new HeraldCore connection to it; each connection is its own client, so several run commands concurrently.
    public func connection() -> RedisConnection { RedisConnection(configuration: configuration, label: "test") }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
