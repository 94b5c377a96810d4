import Foundation
import HeraldCore

/// A real redis-server started by a test on a free loopback port, with its data in a temporary
/// directory (AOF on, so a restart keeps what was acknowledged).
final class RedisServer: @unchecked Sendable {
    // @unchecked: `process` is replaced only by start/stop, which tests call sequentially.
    let port: Int
    let directory: URL
    private var process: ChildProcess?
    private let extraArguments: [String]

    init(extraArguments: [String] = []) throws {
        self.extraArguments = extraArguments
        port = try FreePort.find()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-redis-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try start()
    }

    var configuration: RedisConfiguration { RedisConfiguration(host: "127.0.0.1", port: port) }
    var url: String { "redis://127.0.0.1:\(port)" }

    func start() throws {
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

    func stop() {
        guard let process else { return }
        process.signal(SIGTERM)
        process.wait()
        self.process = nil
    }

    func restart() throws {
        stop()
        try start()
    }

    func connection() -> RedisConnection { RedisConnection(configuration: configuration, label: "test") }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Fixture failures.
enum FixtureError: Error, CustomStringConvertible {
    case timeout(String)
    case missing(String)

    var description: String {
        switch self {
        case .timeout(let what): return "timed out: \(what)"
        case .missing(let what): return "missing: \(what)"
        }
    }
}

/// Locating programs the tests run.
enum Executables {
    static func find(_ name: String) throws -> String {
        for directory in ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
            let path = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw FixtureError.missing("\(name) (scripts/test installs it)")
    }

    /// The directory holding the package's built products (beside the test bundle).
    static var productsDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("herald-ingestor").path) { return url }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The package root (for config/ and examples/).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
}

/// Free loopback ports.
enum FreePort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw FixtureError.missing("a free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a Redis server on `port` answers `PING` with anything but `-LOADING …` (`+PONG`, or
    /// `-NOAUTH` when it wants a password).
    static func answersPong(port: Int) -> Bool {
        guard let fd = connected(port: port) else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let ping = Array("PING\r\n".utf8)
        guard write(fd, ping, ping.count) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &reply, reply.count)
        return count > 0 && !Array(reply[0..<count]).starts(with: Array("-LOADING".utf8))
    }

    /// Whether a socket can bind loopback `port` now (nothing listens on it or holds it).
    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Whether something listens on loopback `port`.
    static func accepts(port: Int) -> Bool {
        guard let fd = connected(port: port) else { return false }
        close(fd)
        return true
    }

    /// A socket connected to loopback `port`, or `nil`; the caller closes it.
    static func connected(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if status == 0 { return fd }
        close(fd)
        return nil
    }
}
