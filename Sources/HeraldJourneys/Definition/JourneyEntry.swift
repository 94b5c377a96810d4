/// Entry rules.
public struct JourneyEntry: Sendable, Hashable, Codable {
    /// Re-entry policy; `afterExit` when absent.
    public var reentry: ReentryPolicy?
    /// A path over the trigger event (e.g. `properties.cart_id`): one live instance per value.
    public var concurrencyKey: String?
    /// Most live instances of this journey per user; 1 without a concurrency key, 5 with one, when absent.
    public var maxLiveInstancesPerUser: Int?
    /// How many times a new trigger for a live instance may restart its current wait; 0 when absent.
    public var maxResets: Int?
    /// Variables captured at entry: name → rooted path (e.g. `"cartTotal": "properties.total"`).
    public var vars: [String: String]?
    /// At most this many entries per window, fleet-wide; the rest are queued and enter in order.
    public var throttle: EntryThrottle?
    /// When the journey accepts entries; always when absent.
    public var schedule: EntrySchedule?

    /// Creates entry rules.
    public init(
        reentry: ReentryPolicy? = nil, concurrencyKey: String? = nil, maxLiveInstancesPerUser: Int? = nil,
        maxResets: Int? = nil, vars: [String: String]? = nil, throttle: EntryThrottle? = nil, schedule: EntrySchedule? = nil
    ) {
        self.throttle = throttle
        self.schedule = schedule
        self.reentry = reentry
        self.concurrencyKey = concurrencyKey
        self.maxLiveInstancesPerUser = maxLiveInstancesPerUser
        self.maxResets = maxResets
        self.vars = vars
    }

    /// The effective live cap.
    public var liveCap: Int { maxLiveInstancesPerUser ?? (concurrencyKey == nil ? 1 : 5) }
}
