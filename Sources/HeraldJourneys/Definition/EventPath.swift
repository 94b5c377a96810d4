/// One action path of a `waitForEvent` step: the awaited event, an optional filter over it and
/// the step it leads to. The first path whose event arrives and matches wins.
public struct EventPath: Sendable, Hashable, Codable {
    /// A name for trails and simulations; the path's position when absent.
    public var name: String?
    /// The awaited event name.
    public var event: String
    /// A condition over the incoming event (`properties.*`, `event.*`), `profile.*`, `vars.*` and
    /// the user's event summary; the path is taken only when it holds.
    public var filter: JourneyCondition?
    /// Paths whose values must equal the trigger event's; the step's `match` when absent.
    public var match: [String]?
    /// The step the path goes to.
    public var next: String

    private enum CodingKeys: String, CodingKey {
        case name, event, match, next
        case filter = "where"
    }

    /// Creates a path.
    public init(name: String? = nil, event: String, filter: JourneyCondition? = nil, match: [String]? = nil, next: String) {
        self.name = name
        self.event = event
        self.filter = filter
        self.match = match
        self.next = next
    }
}
