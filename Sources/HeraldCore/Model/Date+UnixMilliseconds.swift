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
        return Int64(abs(exact - nearest) < 0.001 ? nearest : exact.rounded(.down))
    }

    /// The instant `milliseconds` after 1970.
    public init(unixMilliseconds milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

extension TimeInterval {
    /// This many seconds as whole milliseconds, rounded to nearest: durations (`PX`, retry-after,
    /// leases), where a half-millisecond either way does not matter but truncating 0.0009 s to 0 would.
    public var wholeMilliseconds: Int64 { Int64((self * 1000).rounded()) }
}
