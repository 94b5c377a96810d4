import Foundation

/// Per-journey trigger bookkeeping: recent occurrences for frequency rules, a capped occurrence
/// count for milestones, and the last seen trait value for crossings.
public struct TriggerCounter: Sendable, Hashable, Codable {
    /// Recent matching occurrences (at most the rule's count).
    public var recent: [Date]?
    /// Matching occurrences, capped at the milestone count.
    public var count: Int?
    /// The trait value last seen.
    public var lastValue: Double?

    /// Creates an empty counter.
    public init(recent: [Date]? = nil, count: Int? = nil, lastValue: Double? = nil) {
        self.recent = recent
        self.count = count
        self.lastValue = lastValue
    }
}
