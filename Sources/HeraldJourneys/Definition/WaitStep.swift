/// Pauses the instance: for a `duration`, until the next opening of a local time `window`, or
/// `untilDate` read from a path, or until the user's `bestTime`. Exactly one is set.
public struct WaitStep: Sendable, Hashable, Codable {
    /// A fixed delay.
    public var duration: JourneyDuration?
    /// The next moment inside a local window (now, when already inside).
    public var window: TimeWindow?
    /// A date taken from data.
    public var untilDate: WaitUntilDate?
    /// The hour the user most often engages, learned from opens and clicks (`BestTimeWait`).
    public var bestTime: BestTimeWait?

    /// Creates a wait; set exactly one member.
    public init(duration: JourneyDuration? = nil, window: TimeWindow? = nil, untilDate: WaitUntilDate? = nil, bestTime: BestTimeWait? = nil) {
        self.duration = duration
        self.window = window
        self.untilDate = untilDate
        self.bestTime = bestTime
    }
}
