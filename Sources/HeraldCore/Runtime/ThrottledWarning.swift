import Foundation
import Synchronization

/// Lets a repeated warning through at most once per interval, so a condition that holds for every
/// batch is said without flooding the log (its metric still counts every occurrence).
public final class ThrottledWarning: Sendable {
    private let interval: Duration
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    /// Creates a throttle letting one warning through per `interval`.
    public init(interval: Duration) { self.interval = interval }

    /// Whether to warn now; when it answers `true`, the next `interval` answers `false`.
    public func shouldWarn() -> Bool {
        let now = ContinuousClock.now
        return last.withLock { last in
            if let previous = last, now - previous < interval { return false }
            last = now
            return true
        }
    }
}
