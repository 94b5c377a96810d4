/// Journey-wide defaults.
public struct JourneyDefaults: Sendable, Hashable, Codable {
    /// The zone for users without `profile.timezone`; UTC when absent.
    public var timeZone: String?
    /// How late a timer may be before the past-due policy applies; 15m when absent.
    public var pastDueAfter: JourneyDuration?
    /// The policy for late timers; `sendLate` when absent.
    public var pastDue: PastDuePolicy?
    /// Whether senders should hold marketing sends in quiet hours (`true` when absent); passed in the send context.
    public var respectQuietHours: Bool?

    /// Creates defaults.
    public init(
        timeZone: String? = nil, pastDueAfter: JourneyDuration? = nil, pastDue: PastDuePolicy? = nil,
        respectQuietHours: Bool? = nil
    ) {
        self.timeZone = timeZone
        self.pastDueAfter = pastDueAfter
        self.pastDue = pastDue
        self.respectQuietHours = respectQuietHours
    }
}
