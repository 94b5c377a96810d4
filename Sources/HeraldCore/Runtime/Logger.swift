import Foundation
import Synchronization

/// Structured logs: one JSON object per line on standard output.
public struct Logger: Sendable {
    /// Severity, lowest first.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        /// Details for debugging.
        case debug
        /// Normal operation.
        case info
        /// Something unusual that was handled.
        case warning
        /// Something failed.
        case error

        var label: String {
            switch self {
            case .debug: return "debug"
            case .info: return "info"
            case .warning: return "warning"
            case .error: return "error"
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The service name on every line.
    public var service: String
    /// Lines below this level are dropped.
    public var minimumLevel: Level
    /// Fields added to every line (consumer name, partition …).
    public var metadata: [String: JSONValue]

    private static let output = Mutex(())

    /// Creates a logger; the level comes from `HERALD_LOG_LEVEL` (debug, info, warning, error) unless given.
    public init(service: String, minimumLevel: Level? = nil, metadata: [String: JSONValue] = [:]) {
        self.service = service
        // The logger exists before the configuration is checked; a bad level is then the start-up
        // error FleetConfiguration reports, logged at the default level.
        let configured = (try? FleetConfiguration.text("HERALD_LOG_LEVEL", in: ProcessInfo.processInfo.environment))
            .flatMap { name in Level.allCases.first { $0.label == name } }
        self.minimumLevel = minimumLevel ?? configured ?? .info
        self.metadata = metadata
    }

    /// A logger that adds `fields` to every line.
    public func with(_ fields: [String: JSONValue]) -> Logger {
        var copy = self
        copy.metadata.merge(fields) { _, new in new }
        return copy
    }

    /// Logs at debug level.
    public func debug(_ message: @autoclosure () -> String, _ fields: [String: JSONValue] = [:]) { log(.debug, message(), fields) }
    /// Logs at info level.
    public func info(_ message: @autoclosure () -> String, _ fields: [String: JSONValue] = [:]) { log(.info, message(), fields) }
    /// Logs at warning level.
    public func warning(_ message: @autoclosure () -> String, _ fields: [String: JSONValue] = [:]) { log(.warning, message(), fields) }
    /// Logs at error level.
    public func error(_ message: @autoclosure () -> String, _ fields: [String: JSONValue] = [:]) { log(.error, message(), fields) }

    /// Writes one line if `level` passes the minimum.
    public func log(_ level: Level, _ message: @autoclosure () -> String, _ fields: [String: JSONValue] = [:]) {
        guard level >= minimumLevel else { return }
        var members = metadata.merging(fields) { _, new in new }
        members["ts"] = .string(ISO8601.format(Date()))
        members["level"] = .string(level.label)
        members["service"] = .string(service)
        members["msg"] = .string(message())
        var line = [UInt8]()
        JSONValue.object(members).write(into: &line)
        line.append(10)
        Self.output.withLock { _ in
            // write(2) on descriptor 1: unbuffered, so a crash loses no line already logged.
            var offset = 0
            while offset < line.count {
                let written = line[offset...].withUnsafeBufferPointer { Glibc.write(1, $0.baseAddress, $0.count) }
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
