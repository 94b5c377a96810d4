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
    /// At most this many of the journey's marketing messages per user within the window, across
    /// its instances; a send over it is skipped.
    public var frequencyCap: JourneyFrequencyCap?

    /// Creates defaults.
    public init(
        timeZone: String? = nil, pastDueAfter: JourneyDuration? = nil, pastDue: PastDuePolicy? = nil,
        respectQuietHours: Bool? = nil, frequencyCap: JourneyFrequencyCap? = nil
    ) {
        self.frequencyCap = frequencyCap
        self.timeZone = timeZone
        self.pastDueAfter = pastDueAfter
        self.pastDue = pastDue
        self.respectQuietHours = respectQuietHours
    }
}
