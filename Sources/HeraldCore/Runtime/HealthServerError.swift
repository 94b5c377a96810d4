import Foundation

/// Why the health endpoint could not start.
public enum HealthServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `socket()` failed.
    case socket(errno: Int32)
    /// The port is taken or not allowed.
    case bind(port: Int, errno: Int32)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .socket(let code): return "cannot open a socket: \(String(cString: strerror(code)))"
        case .bind(let port, let code): return "cannot listen on port \(port): \(String(cString: strerror(code)))"
        }
    }
}
