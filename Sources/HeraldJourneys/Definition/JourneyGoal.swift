/// A conversion: `event` within `within` of entry, with revenue from a path of that event,
/// attributed to the last message the instance sent.
public struct JourneyGoal: Sendable, Hashable, Codable {
    /// The conversion event.
    public var event: String
    /// The attribution window after entry.
    public var within: JourneyDuration
    /// A path over the conversion event for revenue, e.g. `properties.total`.
    public var revenue: String?
    /// Paths whose values must equal the trigger event's.
    public var match: [String]?

    /// Creates a goal.
    public init(event: String, within: JourneyDuration, revenue: String? = nil, match: [String]? = nil) {
        self.event = event
        self.within = within
        self.revenue = revenue
        self.match = match
    }
}
