/// A throttled entry asking for its slot: the evaluator reserves it in the journey's throttle key
/// (`EntryThrottleLog` is the same rule in memory) and passes the slot back to the engine.
public struct EntrySlotRequest: Sendable, Hashable {
    /// The journey.
    public var journey: String
    /// The instance the entry creates: the reservation's member, the same on every redelivery of
    /// the input, so a redelivered input finds its slot instead of taking a second one.
    public var instanceId: String
    /// The throttle's count.
    public var count: Int
    /// The throttle's window in milliseconds.
    public var windowMilliseconds: Int64

    /// Creates a request.
    public init(journey: String, instanceId: String, count: Int, windowMilliseconds: Int64) {
        self.journey = journey
        self.instanceId = instanceId
        self.count = count
        self.windowMilliseconds = windowMilliseconds
    }
}
