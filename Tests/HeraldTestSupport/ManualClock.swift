import Foundation
import Synchronization

/// A clock a test moves by hand: it reads `now`, and the test advances or sets it.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    /// A clock that reads `start` until it is moved.
    public init(_ start: Date) {
        current = Mutex(start)
    }

    /// The time now; setting it moves the clock to that time (backwards too).
    public var now: Date {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// Moves the clock `seconds` forwards (backwards when negative).
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
