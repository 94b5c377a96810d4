/// Enters when no event named `event` arrived for `duration`; every such event re-arms the timer.
public struct InactivityTrigger: Sendable, Hashable, Codable {
    /// The activity event that re-arms the timer.
    public var event: String
    /// How long without it.
    public var duration: JourneyDuration
    /// A condition over `profile.*` checked when the timer fires.
    public var filter: JourneyCondition?

    private enum CodingKeys: String, CodingKey {
        case event
        case duration = "for"
        case filter = "where"
    }

    /// Creates an inactivity trigger.
    public init(event: String, duration: JourneyDuration, filter: JourneyCondition? = nil) {
        self.event = event
        self.duration = duration
        self.filter = filter
    }
}
