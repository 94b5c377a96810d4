/// Enters when the user does something: an event by name, filtered by properties and profile traits.
///
/// The name `$identify` matches identify messages; `$page`, `$screen`, `$group` and `$alias` the others.
public struct BehaviourTrigger: Sendable, Hashable, Codable {
    /// The event name (or `$identify`, `$page`, …).
    public var event: String
    /// A condition over `properties.*`, `event.*` and `profile.*`.
    public var filter: JourneyCondition?
    /// Optional: fire only when the event happened this often in a window.
    public var frequency: TriggerFrequency?

    private enum CodingKeys: String, CodingKey {
        case event
        case filter = "where"
        case frequency
    }

    /// Creates a behaviour trigger.
    public init(event: String, filter: JourneyCondition? = nil, frequency: TriggerFrequency? = nil) {
        self.event = event
        self.filter = filter
        self.frequency = frequency
    }
}
