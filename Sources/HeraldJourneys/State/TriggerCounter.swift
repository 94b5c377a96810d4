import Foundation

/// Per-journey trigger bookkeeping: recent occurrences for frequency rules, a capped occurrence
/// count for milestones, the last seen trait value for crossings, and whether the profile met an
/// audience trigger's conditions when last checked.
public struct TriggerCounter: Sendable, Hashable, Codable {
    /// Recent matching occurrences (at most the rule's count).
    public var recent: [Date]?
    /// Matching occurrences, capped at the milestone count.
    public var count: Int?
    /// The trait value last seen.
    public var lastValue: Double?
    /// `true` while the profile meets the audience trigger's `where` (absent otherwise).
    public var matching: Bool?

    /// Creates an empty counter.
    public init(recent: [Date]? = nil, count: Int? = nil, lastValue: Double? = nil, matching: Bool? = nil) {
        self.recent = recent
        self.count = count
        self.lastValue = lastValue
        self.matching = matching
    }

    /// Whether nothing is kept.
    public var isEmpty: Bool {
        recent == nil && count == nil && lastValue == nil && matching == nil
    }
}
