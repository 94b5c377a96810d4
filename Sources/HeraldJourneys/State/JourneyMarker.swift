import Foundation

/// What the user did with a journey before, for re-entry rules and one-shot triggers.
public struct JourneyMarker: Sendable, Hashable, Codable {
    /// The last entry.
    public var enteredAt: Date?
    /// The last exit.
    public var exitedAt: Date?
    /// A fixed-moment date trigger was scheduled or passed; never schedule it again.
    public var momentDone: Bool?

    /// Creates a marker.
    public init(enteredAt: Date? = nil, exitedAt: Date? = nil, momentDone: Bool? = nil) {
        self.enteredAt = enteredAt
        self.exitedAt = exitedAt
        self.momentDone = momentDone
    }
}
