/// How users enter a journey: an object with exactly one of `behaviour`, `inactivity`, `date`,
/// `milestone`, `audience`.
public struct JourneyTrigger: Sendable, Hashable, Codable {
    /// Entered on an event.
    public var behaviour: BehaviourTrigger?
    /// Entered after a period without an event.
    public var inactivity: InactivityTrigger?
    /// Entered on a date.
    public var date: DateTrigger?
    /// Entered on a count or trait threshold.
    public var milestone: MilestoneTrigger?
    /// Entered when the profile starts matching conditions.
    public var audience: AudienceTrigger?

    /// Creates a trigger; set exactly one member.
    public init(
        behaviour: BehaviourTrigger? = nil, inactivity: InactivityTrigger? = nil, date: DateTrigger? = nil,
        milestone: MilestoneTrigger? = nil, audience: AudienceTrigger? = nil
    ) {
        self.behaviour = behaviour
        self.inactivity = inactivity
        self.date = date
        self.milestone = milestone
        self.audience = audience
    }

    /// The number of trigger kinds set (valid files set exactly one).
    var kindCount: Int {
        [behaviour != nil, inactivity != nil, date != nil, milestone != nil, audience != nil].filter { $0 }.count
    }
}
