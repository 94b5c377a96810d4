/// A wall-clock time of day `HH:MM` (24-hour), in whatever zone it is applied to: a journey's send
/// times and windows, read in a user's zone, and the senders' quiet hours. One spelling everywhere:
/// a one- or two-digit hour, then a colon and a two-digit minute (`09:00`, `9:00`, `21:30`), or
/// nothing for the whole hour (`21`, `8`).
public struct LocalTime: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The hour, 0–23.
    public var hour: Int
    /// The minute, 0–59.
    public var minute: Int

    /// Creates a time; `nil` when out of range.
    public init?(hour: Int, minute: Int = 0) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Parses `HH:MM`, `H:MM`, or a whole hour `HH` / `H`; `nil` when malformed or out of range.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 1, (1...2).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }), let hour = Int(text) {
            self.init(hour: hour)
            return
        }
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// Minutes since midnight.
    public var minuteOfDay: Int { hour * 60 + minute }

    /// The `HH:MM` form.
    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// Orders by time of day.
    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.minuteOfDay < rhs.minuteOfDay }

    /// Decodes from `HH:MM`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = LocalTime(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "bad local time '\(text)'; write HH:MM, e.g. 09:00"))
        }
        self = parsed
    }

    /// Encodes as `HH:MM`.
    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(description)
    }
}
