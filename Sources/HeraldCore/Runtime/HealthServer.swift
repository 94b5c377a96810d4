import Foundation
import Synchronization

/// A tiny HTTP/1.1 endpoint per process: `GET /livez` (200 while the process's loops turn),
/// `GET /readyz` and `/healthz` (200 while live and ready: Redis answers and the workers read;
/// else 503 with the reason) and `GET /metrics` (Prometheus text). It serves from its own thread with blocking sockets; it is
/// for orchestrators and scrapers on a private network, not for the public.
public final class HealthServer: Service {
    /// A short name for logs.
    public let name = "health"
    private let port: Int
    private let host: String
    private let metrics: Metrics
    private let isLive: @Sendable () -> Bool
    private let isReady: @Sendable () -> Bool
    private let boundPort = Mutex<Int?>(nil)
    private let listener = Mutex<Int32>(-1)

    /// Creates a server on `host:port` (port 0 picks a free one; see `port` after start).
    public init(
        host: String = "0.0.0.0", port: Int, metrics: Metrics, isLive: @escaping @Sendable () -> Bool,
        isReady: @escaping @Sendable () -> Bool
    ) {
        self.host = host
        self.port = port
        self.metrics = metrics
        self.isLive = isLive
        self.isReady = isReady
    }

    /// The port actually bound, once running.
    public var listeningPort: Int? { boundPort.withLock { $0 } }

    /// Serves until shutdown; the listening socket closes when shutdown triggers.
    public func run(shutdown: GracefulShutdown) async throws {
        let socket = try openListener()
        listener.withLock { $0 = socket }
        let thread = Thread { [self] in self.acceptLoop(socket) }
        thread.name = "herald-health"
        thread.start()
        await shutdown.wait()
        listener.withLock { fd in
            Glibc.shutdown(fd, Int32(SHUT_RDWR))
            Glibc.close(fd)
            fd = -1
        }
    }

    private func openListener() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HealthServerError.socket(errno: errno) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw HealthServerError.bind(port: port, errno: code)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        boundPort.withLock { $0 = Int(UInt16(bigEndian: actual.sin_port)) }
        return fd
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            respond(client)
            Glibc.close(client)
        }
    }

    private func respond(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let count = read(client, &buffer, buffer.count)
        guard count > 0 else { return }
        let requestLine = String(decoding: buffer[0..<count], as: UTF8.self).prefix { $0 != "\r" && $0 != "\n" }
        let parts = requestLine.split(separator: " ")
        let path = parts.count > 1 ? String(parts[1]) : "/"
        let (status, body, type): (String, String, String)
        switch path {
        case "/livez":
            (status, body, type) = isLive() ? ("200 OK", "live\n", "text/plain") : ("503 Service Unavailable", "stuck: no loop turned recently\n", "text/plain")
        case "/readyz", "/healthz", "/health":
            if !isLive() {
                (status, body, type) = ("503 Service Unavailable", "stuck: no loop turned recently\n", "text/plain")
            } else if !isReady() {
                (status, body, type) = ("503 Service Unavailable", "not ready: Redis is not answering, or the workers have not read yet\n", "text/plain")
            } else {
                (status, body, type) = ("200 OK", "ready\n", "text/plain")
            }
        case "/metrics":
            ProcessMetrics.sample(into: metrics)
            (status, body, type) = ("200 OK", metrics.prometheusText(), "text/plain; version=0.0.4; charset=utf-8")
        default:
            (status, body, type) = ("404 Not Found", "not found\n", "text/plain")
        }
        let response = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let bytes = Array(response.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBufferPointer { write(client, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            sent += written
        }
    }
}
