/// Enters on the `count`-th occurrence of `event`, or when the numeric profile `trait` crosses
/// `crosses` upwards.
public struct MilestoneTrigger: Sendable, Hashable, Codable {
    /// Occurrence form: the event to count.
    public var event: String?
    /// Occurrence form: which occurrence enters.
    public var count: Int?
    /// Crossing form: the numeric trait.
    public var trait: String?
    /// Crossing form: the threshold (entered when the trait goes from below to at or above it).
    public var crosses: Double?
    /// Occurrence form: only matching events count.
    public var filter: JourneyCondition?

    private enum CodingKeys: String, CodingKey {
        case event, count, trait, crosses
        case filter = "where"
    }

    /// Creates a milestone trigger.
    public init(
        event: String? = nil, count: Int? = nil, trait: String? = nil, crosses: Double? = nil,
        filter: JourneyCondition? = nil
    ) {
        self.event = event
        self.count = count
        self.trait = trait
        self.crosses = crosses
        self.filter = filter
    }
}
