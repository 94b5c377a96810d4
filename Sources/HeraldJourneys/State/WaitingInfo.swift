import Foundation

/// The pending timer of a waiting instance.
public struct WaitingInfo: Sendable, Hashable, Codable {
    /// The step that waits.
    public var step: String
    /// The timer's id.
    public var timerId: String
    /// The timer's due time.
    public var dueAt: Date
    /// `resume` (a wait step) or `timeout` (a waitForEvent step).
    public var kind: JourneyTimerKind

    /// Creates waiting info.
    public init(step: String, timerId: String, dueAt: Date, kind: JourneyTimerKind) {
        self.step = step
        self.timerId = timerId
        self.dueAt = dueAt
        self.kind = kind
    }
}
