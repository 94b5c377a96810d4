import Foundation
import Synchronization

/// What a process's loops report for its health endpoints: each turn of a loop (liveness), and
/// each completed Redis round trip of a worker (it has its groups and reads).
public final class Heartbeat: Sendable {
    private struct State {
        var lastBeat: Date?
        var lastTurn = Date()
    }
    private let state = Mutex(State())
    /// How old the last turn (or beat) may be while live (or healthy).
    public let tolerance: TimeInterval

    /// Creates a heartbeat; it is live from the start and has not beaten yet.
    public init(tolerance: TimeInterval = 30) { self.tolerance = tolerance }

    /// Records a successful round trip (which is also a turn).
    public func beat() {
        let now = Date()
        state.withLock {
            $0.lastBeat = now
            $0.lastTurn = now
        }
    }

    /// Records that a loop went round, whether or not Redis answered.
    public func turn() { state.withLock { $0.lastTurn = Date() } }

    /// Whether a loop turned recently: the process is not stuck.
    public var isLive: Bool { state.withLock { Date().timeIntervalSince($0.lastTurn) < tolerance } }

    /// Whether a worker has completed a round trip at all (its groups exist and it reads).
    public var hasBeaten: Bool { state.withLock { $0.lastBeat != nil } }
}
