import Foundation

/// What the user did with a journey before, for re-entry rules and one-shot triggers.
public struct JourneyMarker: Sendable, Hashable, Codable {
    /// The last entry.
    public var enteredAt: Date?
    /// The last exit.
    public var exitedAt: Date?
    /// A fixed-moment date trigger was scheduled or passed; never schedule it again.
    public var momentDone: Bool?
    /// When the journey's last capped-category messages were requested, for `defaults.frequencyCap`:
    /// only those inside its window, at most its count.
    public var sends: [Date]?
    /// The same per send step with its own `frequencyCap`, by step id.
    public var stepSends: [String: [Date]]?

    /// Creates a marker.
    public init(
        enteredAt: Date? = nil, exitedAt: Date? = nil, momentDone: Bool? = nil, sends: [Date]? = nil, stepSends: [String: [Date]]? = nil
    ) {
        self.sends = sends
        self.stepSends = stepSends
        self.enteredAt = enteredAt
        self.exitedAt = exitedAt
        self.momentDone = momentDone
    }
}
