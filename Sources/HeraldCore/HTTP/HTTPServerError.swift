import Foundation

/// Why an `HTTPServer` could not start.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host is not a numeric IPv4 or IPv6 address.
    case invalidHost(String)
    /// libmicrohttpd would not listen on the address (in use, or not permitted).
    case cannotListen(host: String, port: Int, errno: Int32)
    /// A limit is out of range.
    case invalidLimit(name: String, value: Int)
    /// `start()` was called on a server already running.
    case alreadyStarted

    /// A line for the operator.
    public var description: String {
        switch self {
        case .invalidHost(let host): return "cannot listen on \(host): not a numeric IPv4 or IPv6 address"
        case .cannotListen(let host, let port, let code): return "cannot listen on \(host):\(port): \(String(cString: strerror(code)))"
        case .invalidLimit(let name, let value): return "HTTP server limit \(name) = \(value) is out of range"
        case .alreadyStarted: return "the HTTP server is already running"
        }
    }
}
