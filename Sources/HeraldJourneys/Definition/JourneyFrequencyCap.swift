/// "At most `count` messages within `within`" per user, for a journey's sends
/// (`defaults.frequencyCap`) or one send step's (`send.frequencyCap`), beside the senders'
/// fleet-wide caps (`HERALD_FREQUENCY_CAPS`). A send over the cap is skipped, not held.
public struct JourneyFrequencyCap: Sendable, Hashable, Codable {
    /// The most messages in any window.
    public var count: Int
    /// The rolling window.
    public var within: JourneyDuration

    /// The largest `count` a cap may have: the engine keeps one send time per counted message.
    public static let maximumCount = 100

    /// Creates a cap.
    public init(count: Int, within: JourneyDuration) {
        self.count = count
        self.within = within
    }
}
