import Foundation

extension Date {
    /// Milliseconds since 1970, rounded down: the one conversion every Redis score, `PX`, stream
    /// id and wire field uses, so a timer's score, its member and the scheduler's "now" agree.
    public var unixMilliseconds: Int64 {
        let exact = timeIntervalSince1970 * 1000
        let nearest = exact.rounded()
        // A date made from whole milliseconds (`init(unixMilliseconds:)`, a parsed timestamp) can come
        // back a few ulps under them, since `Date` counts seconds from 2001: within a microsecond of
        // a whole millisecond is that millisecond.
        return Self.saturating(abs(exact - nearest) < 0.001 ? nearest : exact.rounded(.down))
    }

    /// ±2⁵³ ms (about 285 000 years): every millisecond in it is exact as a `Double`, and sums of a
    /// few such values cannot overflow `Int64`. A date beyond it (a corrupt stored number, an
    /// absurd header) saturates instead of trapping; NaN reads as 0.
    static let millisecondBound: Double = 9_007_199_254_740_992

    static func saturating(_ milliseconds: Double) -> Int64 {
        guard !milliseconds.isNaN else { return 0 }
        return Int64(Swift.min(Swift.max(milliseconds, -millisecondBound), millisecondBound))
    }

    /// The instant `milliseconds` after 1970.
    public init(unixMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

extension TimeInterval {
    /// This many seconds as whole milliseconds, rounded to nearest: durations (`PX`, retry-after,
    /// leases), where a half-millisecond either way does not matter but truncating 0.0009 s to 0 would.
    public var wholeMilliseconds: Int64 { Date.saturating((self * 1000).rounded()) }
}
