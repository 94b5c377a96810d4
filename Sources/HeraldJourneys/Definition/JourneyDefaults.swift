/// Journey-wide defaults.
public struct JourneyDefaults: Sendable, Hashable, Codable {
    /// The zone for users without a usable `profile.timezone`; UTC when absent. The engine also
    /// passes it to the senders (the send context's `journey.timeZone`) for quiet hours.
    public var timeZone: String?
    /// How late a timer may be before the past-due policy applies; 15m when absent.
    public var pastDueAfter: JourneyDuration?
    /// The policy for late timers; `sendLate` when absent.
    public var pastDue: PastDuePolicy?
    /// Whether the senders' quiet hours hold this journey's marketing sends (`true` when absent);
    /// passed in the send context as `respectQuietHours`.
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
