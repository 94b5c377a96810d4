import Foundation

/// A settable clock for token-lifetime tests.
final class TestClock: @unchecked Sendable {
    // @unchecked Sendable: `current` is only touched while holding `lock`.
    private let lock = NSLock()
    private var current: Date

    /// Starts at `start`.
    init(_ start: Date) {
        current = start
    }

    /// The time now; settable.
    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }
}
