import CMicroHTTPD
import Foundation
import Synchronization

/// An HTTP/1.1 server on Debian's libmicrohttpd: its polling threads read requests within
/// `HTTPServerLimits` (header and body size, idle timeout, connections per client), each complete
/// request is answered by the responder on a Swift task while its connection is suspended (no
/// thread waits on a responder), and a graceful shutdown stops accepting, lets requests in flight
/// finish within the drain timeout, then closes every connection.
public final class HTTPServer: Service {
    /// A short name for logs (`health`, `edge`).
    public let name: String
    /// The limits every client is held to.
    public let limits: HTTPServerLimits
    private let host: String
    private let port: Int
    private let table: HTTPConnectionTable
    private let logger: Logger
    private let running = Mutex<HTTPDaemon?>(nil)

    /// Creates a server for `host:port` (port 0 picks a free one: see `start()`). `observer` sees
    /// every exchange after its response was queued, for access logs and metrics.
    public init(
        name: String, host: String, port: Int, limits: HTTPServerLimits = HTTPServerLimits(), responder: any HTTPResponder,
        logger: Logger, observer: (@Sendable (HTTPExchange) -> Void)? = nil
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.limits = limits
        self.logger = logger
        self.table = HTTPConnectionTable(responder: responder, maximumBodyBytes: limits.maximumBodyBytes, observer: observer)
    }

    /// Requests read and not yet completed.
    public var requestsInFlight: Int { table.inFlight }

    /// Starts listening and returns the bound port.
    @discardableResult
    public func start() throws(HTTPServerError) -> Int {
        try running.withLock { (daemon: inout HTTPDaemon?) throws(HTTPServerError) -> Int in
            if daemon != nil { throw .alreadyStarted }
            let started = try HTTPDaemon.start(host: host, port: port, limits: limits, table: table, logger: logger)
            daemon = started
            return started.port
        }
    }

    /// The port bound, while running.
    public var boundPort: Int? { running.withLock { $0?.port } }

    /// Stops accepting connections, waits up to the drain timeout for requests in flight, then
    /// answers any still waiting on their responder with `503` and closes every connection.
    public func stop() async {
        guard let daemon = running.withLock({ $0 }) else { return }
        daemon.quiesce()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limits.drainTimeout)
        while table.inFlight > 0, clock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if table.inFlight > 0 {
            logger.warning("HTTP drain timed out", ["server": .string(name), "inFlight": .number(Double(table.inFlight))])
        }
        // libmicrohttpd must not be stopped with connections suspended: release every responder wait.
        table.abandonWaiting()
        let released = clock.now.advanced(by: .seconds(1))
        while table.inFlight > 0, clock.now < released {
            // Even when cancelled: a resumed connection sends its 503 within moments.
            try? await Task.sleep(for: .milliseconds(5))
        }
        running.withLock { $0 = nil }
        daemon.stop()
    }

    /// Serves until `shutdown` fires, then drains and stops (at once when cancelled).
    public func run(shutdown: GracefulShutdown) async throws {
        let bound = try start()
        logger.info("HTTP listening", ["server": .string(name), "host": .string(host), "port": .number(Double(bound))])
        await shutdown.wait()
        await stop()
    }
}
