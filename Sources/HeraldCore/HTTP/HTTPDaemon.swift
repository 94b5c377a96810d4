import CMicroHTTPD
import Foundation
import Synchronization

/// A running libmicrohttpd daemon and what must outlive it (its logger sink).
// @unchecked Sendable: the daemon pointer is only passed to libmicrohttpd's thread-safe
// MHD_quiesce_daemon and MHD_stop_daemon, each called once by the owning HTTPServer; the logger
// pointer is freed only after MHD_stop_daemon has joined every thread that could use it; the
// quiesced listener is behind a mutex.
final class HTTPDaemon: @unchecked Sendable {
    let port: Int
    private let daemon: OpaquePointer
    private let logSink: UnsafeMutablePointer<herald_mhd_logger>
    private let table: Unmanaged<HTTPConnectionTable>
    private let logger: Unmanaged<HTTPDaemonLog>
    private let listener = Mutex<Int32>(-1)

    private init(
        port: Int, daemon: OpaquePointer, logSink: UnsafeMutablePointer<herald_mhd_logger>, table: Unmanaged<HTTPConnectionTable>,
        logger: Unmanaged<HTTPDaemonLog>
    ) {
        self.port = port
        self.daemon = daemon
        self.logSink = logSink
        self.table = table
        self.logger = logger
    }

    static func start(
        host: String, port: Int, limits: HTTPServerLimits, table: HTTPConnectionTable, logger: Logger
    ) throws(HTTPServerError) -> HTTPDaemon {
        guard (0...65535).contains(port) else { throw .invalidLimit(name: "port", value: port) }
        for (name, value) in [
            ("maximumHeaderBytes", limits.maximumHeaderBytes), ("maximumConnections", limits.maximumConnections),
            ("threads", limits.threads),
        ] where value <= 0 { throw .invalidLimit(name: name, value: value) }
        var flags = UInt32(MHD_USE_AUTO_INTERNAL_THREAD.rawValue) | UInt32(MHD_ALLOW_SUSPEND_RESUME.rawValue)
            | UInt32(MHD_USE_ERROR_LOG.rawValue)
        var storage = sockaddr_storage()
        if host.contains(":") {
            flags |= UInt32(MHD_USE_IPv6.rawValue)
            try withUnsafeMutablePointer(to: &storage) { (pointer) throws(HTTPServerError) in
                try pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { (address) throws(HTTPServerError) in
                    address.pointee.sin6_family = sa_family_t(AF_INET6)
                    address.pointee.sin6_port = in_port_t(UInt16(port).bigEndian)
                    guard inet_pton(AF_INET6, host, &address.pointee.sin6_addr) == 1 else { throw .invalidHost(host) }
                }
            }
        } else {
            try withUnsafeMutablePointer(to: &storage) { (pointer) throws(HTTPServerError) in
                try pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { (address) throws(HTTPServerError) in
                    address.pointee.sin_family = sa_family_t(AF_INET)
                    address.pointee.sin_port = in_port_t(UInt16(port).bigEndian)
                    guard inet_pton(AF_INET, host, &address.pointee.sin_addr) == 1 else { throw .invalidHost(host) }
                }
            }
        }
        let log = Unmanaged.passRetained(HTTPDaemonLog(logger: logger))
        let sink = UnsafeMutablePointer<herald_mhd_logger>.allocate(capacity: 1)
        sink.initialize(to: herald_mhd_logger(sink: { context, message in
            guard let context, let message else { return }
            Unmanaged<HTTPDaemonLog>.fromOpaque(context).takeUnretainedValue().log(String(cString: message))
        }, context: log.toOpaque()))
        let retainedTable = Unmanaged.passRetained(table)
        let callbacks = herald_mhd_callbacks(
            access: HTTPConnectionTable.accessCallback, completed: HTTPConnectionTable.completedCallback,
            uri_log: HTTPConnectionTable.uriLogCallback, connection: HTTPConnectionTable.connectionCallback,
            context: retainedTable.toOpaque())
        let mhdLimits = herald_mhd_limits(
            connection_timeout_seconds: UInt32(max(1, limits.idleTimeout.components.seconds)),
            connection_memory_limit: limits.maximumHeaderBytes, connection_limit: UInt32(limits.maximumConnections),
            per_ip_connection_limit: UInt32(max(0, limits.maximumConnectionsPerClient)), thread_pool_size: UInt32(limits.threads),
            listen_backlog: 511)
        errno = 0
        let daemon = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { herald_mhd_start(flags, $0, callbacks, mhdLimits, sink) }
        }
        guard let daemon else {
            let code = errno == 0 ? EADDRINUSE : errno
            retainedTable.release()
            log.release()
            sink.deinitialize(count: 1)
            sink.deallocate()
            throw .cannotListen(host: host, port: port, errno: code)
        }
        return HTTPDaemon(
            port: Int(herald_mhd_bound_port(daemon)), daemon: daemon, logSink: sink, table: retainedTable, logger: log)
    }

    /// Stops accepting new connections; those open go on being served.
    func quiesce() {
        let socket = MHD_quiesce_daemon(daemon)
        // libmicrohttpd hands the listening socket back, to be closed only after MHD_stop_daemon.
        listener.withLock { $0 = socket }
    }

    /// Closes every connection, joins libmicrohttpd's threads and frees what the daemon used.
    func stop() {
        MHD_stop_daemon(daemon)
        listener.withLock { socket in
            if socket >= 0 { close(socket) }
            socket = -1
        }
        table.release()
        logger.release()
        logSink.deinitialize(count: 1)
        logSink.deallocate()
    }
}
