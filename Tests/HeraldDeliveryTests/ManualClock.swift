import Foundation

/// A clock tests move by hand.
final class ManualClock: @unchecked Sendable {
    // Guarded by `lock`; NSLock because `Mutex` needs macOS 15 and the package targets 14.
    private var current: Date
    private let lock = NSLock()

    init(_ start: Date) {
        current = start
    }

    var now: Date {
        lock.withLock { current }
    }

    func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}
