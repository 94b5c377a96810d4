import Foundation
import Synchronization

/// When the process last completed a Redis round trip; the health endpoint reports unhealthy when
/// that is too long ago.
public final class Heartbeat: Sendable {
    private let last = Mutex<Date>(Date())
    /// How old the last beat may be while healthy.
    public let tolerance: TimeInterval

    /// Creates a heartbeat that starts healthy.
    public init(tolerance: TimeInterval = 30) { self.tolerance = tolerance }

    /// Records a successful round trip.
    public func beat() { last.withLock { $0 = Date() } }

    /// Whether the last beat is recent enough.
    public var isHealthy: Bool { last.withLock { Date().timeIntervalSince($0) < tolerance } }
}
