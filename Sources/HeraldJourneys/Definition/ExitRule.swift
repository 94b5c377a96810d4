/// An event that ends a live instance at once, interrupting any wait.
public struct ExitRule: Sendable, Hashable, Codable {
    /// The event name.
    public var event: String
    /// Paths whose values must equal the trigger event's (e.g. `properties.cart_id`).
    public var match: [String]?
    /// An extra condition over the exiting event (`properties.*`, `event.*`) and `profile.*`.
    public var filter: JourneyCondition?

    private enum CodingKeys: String, CodingKey {
        case event, match
        case filter = "where"
    }

    /// Creates an exit rule.
    public init(event: String, match: [String]? = nil, filter: JourneyCondition? = nil) {
        self.event = event
        self.match = match
        self.filter = filter
    }
}
