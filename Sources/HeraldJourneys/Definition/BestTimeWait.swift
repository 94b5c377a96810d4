import HeraldCore

/// Waits until the hour of the day the user most often opens or clicks messages, learned from
/// `Message Opened` / `Message Clicked` events (`EngagementHours`), no later than `within`; with
/// fewer than `minimumEngagements` of them, until the `fallback` local time.
public struct BestTimeWait: Sendable, Hashable, Codable {
    /// The longest the wait may last (default 24h): the learned hour must come round within it.
    public var within: JourneyDuration?
    /// The local time used without enough history (default 10:00).
    public var fallback: LocalTime?
    /// How many opens and clicks the user needs before their hour is trusted (default 3).
    public var minimumEngagements: Int?

    /// The bound used when `within` is absent.
    public static let defaultWithin = JourneyDuration("24h")!
    /// The fallback used when `fallback` is absent.
    public static let defaultFallback = LocalTime("10:00")!
    /// The history needed when `minimumEngagements` is absent.
    public static let defaultMinimumEngagements = 3

    /// Creates a best-time wait.
    public init(within: JourneyDuration? = nil, fallback: LocalTime? = nil, minimumEngagements: Int? = nil) {
        self.within = within
        self.fallback = fallback
        self.minimumEngagements = minimumEngagements
    }

    /// `within`, or its default.
    public var bound: JourneyDuration { within ?? Self.defaultWithin }
    /// `fallback`, or its default.
    public var fallbackTime: LocalTime { fallback ?? Self.defaultFallback }
    /// `minimumEngagements`, or its default.
    public var requiredEngagements: Int { minimumEngagements ?? Self.defaultMinimumEngagements }
}
