import Foundation
import HeraldCore

/// Event timestamps derived from the clock, so no test depends on the date it runs.
enum TestTime {
    /// An hour before the suite started, as ISO 8601.
    static let recent = ISO8601.format(start.addingTimeInterval(-3600))
    /// One second after `recent`.
    static let recentPlusOne = ISO8601.format(start.addingTimeInterval(-3599))

    private static let start = Date()
}
