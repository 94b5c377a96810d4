import Foundation

/// A circuit breaker for one provider in one process, as a pure state machine.
///
/// Closed: calls go through; `failureThreshold` failures within `window` open it. Open: calls are
/// refused for `coolDown`, after which it is half-open. Half-open: one probe call goes (another
/// may go if a probe has been out for a whole `coolDown`, in case it was lost); its success closes
/// the breaker, its failure opens it again. Only failures that say the provider is unwell should
/// be recorded (retryable errors); a permanent error is the message's fault, not the provider's.
public struct CircuitBreaker: Sendable, Hashable {
    /// Failures within `window` that open the breaker.
    public var failureThreshold: Int
    /// The window failures are counted in, in seconds.
    public var window: TimeInterval
    /// How long the breaker stays open before a probe, in seconds.
    public var coolDown: TimeInterval
    /// The current state.
    public private(set) var state: CircuitState

    /// Creates a closed breaker: 5 failures in 30 s open it for 30 s by default.
    public init(failureThreshold: Int = 5, window: TimeInterval = 30, coolDown: TimeInterval = 30) {
        self.failureThreshold = max(1, failureThreshold)
        self.window = window
        self.coolDown = coolDown
        self.state = .closed(recentFailures: [])
    }

    /// Asks to make a call now; `true` means go (and, when half-open, that this call is the probe).
    public mutating func acquire(now: Date) -> Bool {
        switch state {
        case .closed:
            return true
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen(probeStartedAt: now)
            return true
        case .halfOpen(let probeStartedAt):
            if let probeStartedAt, now.timeIntervalSince(probeStartedAt) < coolDown { return false }
            state = .halfOpen(probeStartedAt: now)
            return true
        }
    }

    /// Records a call the provider handled (delivered, or refused for the message's own fault).
    public mutating func recordSuccess(now: Date) {
        switch state {
        case .closed(let failures):
            state = .closed(recentFailures: failures.filter { now.timeIntervalSince($0) < window })
        case .halfOpen:
            state = .closed(recentFailures: [])
        case .open:
            // A call that started before the breaker opened says nothing about now.
            break
        }
    }

    /// Records a call that failed because of the provider (timeout, 5xx, 429).
    public mutating func recordFailure(now: Date) {
        switch state {
        case .closed(let failures):
            let recent = failures.filter { now.timeIntervalSince($0) < window } + [now]
            state = recent.count >= failureThreshold ? .open(until: now.addingTimeInterval(coolDown)) : .closed(recentFailures: recent)
        case .halfOpen:
            state = .open(until: now.addingTimeInterval(coolDown))
        case .open:
            break
        }
    }

    /// How long until a call may be tried, or `nil` when one may be tried now.
    public func retryAfter(now: Date) -> TimeInterval? {
        switch state {
        case .closed: return nil
        case .open(let until): return until > now ? until.timeIntervalSince(now) : nil
        case .halfOpen(let probeStartedAt):
            guard let probeStartedAt else { return nil }
            let wait = coolDown - now.timeIntervalSince(probeStartedAt)
            return wait > 0 ? wait : nil
        }
    }
}
