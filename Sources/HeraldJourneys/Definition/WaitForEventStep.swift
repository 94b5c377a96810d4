/// Waits for the user to do something, matching the trigger on `match` paths, until `timeout`.
public struct WaitForEventStep: Sendable, Hashable, Codable {
    /// The awaited event name.
    public var event: String
    /// Paths (e.g. `properties.cart_id`) whose values must equal the trigger event's.
    public var match: [String]?
    /// How long to wait.
    public var timeout: JourneyDuration
    /// Where to go when the event arrives; the next step when absent.
    public var onEvent: String?
    /// Where to go on timeout; the next step when absent.
    public var onTimeout: String?

    /// Creates an event wait.
    public init(event: String, match: [String]? = nil, timeout: JourneyDuration, onEvent: String? = nil, onTimeout: String? = nil) {
        self.event = event
        self.match = match
        self.timeout = timeout
        self.onEvent = onEvent
        self.onTimeout = onTimeout
    }
}
