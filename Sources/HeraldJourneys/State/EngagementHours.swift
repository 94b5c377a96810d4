import Foundation

/// How often a user opened or clicked a message in each hour of their local day: 24 counters,
/// read by `bestTime` waits. Bounded: when the total reaches `cap`, every counter is halved, so
/// the histogram stays small and recent habits outweigh old ones.
public struct EngagementHours: Sendable, Hashable, Codable {
    /// The IANA zone the hours are local to (the user's `profile.timezone`, else UTC).
    public var zone: String
    /// Opens and clicks per local hour, 0 to 23.
    public private(set) var counts: [Int]

    /// The total at which every counter is halved.
    public static let cap = 100
    /// The events it learns from: the feedback names `DeliveryFeedback.messageOpened` and `messageClicked`.
    public static let eventNames: Set<String> = ["Message Opened", "Message Clicked"]

    /// An empty histogram in `zone`.
    public init(zone: String) {
        self.zone = zone
        counts = Array(repeating: 0, count: 24)
    }

    /// A histogram with `counts` (24 non-negative numbers); `nil` otherwise.
    public init?(zone: String, counts: [Int]) {
        guard counts.count == 24, counts.allSatisfy({ $0 >= 0 }) else { return nil }
        self.zone = zone
        self.counts = counts
    }

    /// All opens and clicks counted.
    public var total: Int { counts.reduce(0, +) }

    /// Counts one engagement in `hour` (0–23), halving every counter first when the total is at the cap.
    public mutating func record(hour: Int) {
        guard (0..<24).contains(hour) else { return }
        if total >= Self.cap { counts = counts.map { $0 / 2 } }
        counts[hour] += 1
    }

    /// The histogram after one engagement at `date`, local to `zone`: a histogram kept in another
    /// zone (the user moved) starts again, since its hours mean other moments.
    public func recording(_ date: Date, in zone: TimeZone) -> EngagementHours {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var next = self.zone == zone.identifier ? self : EngagementHours(zone: zone.identifier)
        next.record(hour: calendar.component(.hour, from: date))
        return next
    }
}
