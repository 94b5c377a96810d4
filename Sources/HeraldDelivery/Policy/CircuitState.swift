import Foundation

/// The state of a `CircuitBreaker`.
public enum CircuitState: Sendable, Hashable {
    /// Calls go through; the failures inside the window are kept.
    case closed(recentFailures: [Date])
    /// Calls are refused until `until`.
    case open(until: Date)
    /// One probe call may go; `probeStartedAt` is set while it is in flight.
    case halfOpen(probeStartedAt: Date?)
}
