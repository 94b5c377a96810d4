/// Waits until a date read from the event, the latest event, the profile or the variables, plus an offset.
public struct WaitUntilDate: Sendable, Hashable, Codable {
    /// A rooted path to an ISO 8601 date-time, e.g. `event.properties.deliveryDate`.
    public var path: String
    /// Added to the date (may be written with a leading `-` to wait until before it).
    public var offset: String?

    /// Creates a date wait.
    public init(path: String, offset: String? = nil) {
        self.path = path
        self.offset = offset
    }

    /// The signed offset in seconds; `nil` when malformed.
    public var offsetSeconds: Int? {
        guard let offset else { return 0 }
        if offset.hasPrefix("-") { return JourneyDuration(String(offset.dropFirst())).map { -$0.seconds } }
        return JourneyDuration(offset)?.seconds
    }
}
