import Foundation
import HeraldCore
import Testing

/// `Date.unixMilliseconds` is the one conversion to milliseconds: it must give back the
/// milliseconds a date was made from, and round anything between two milliseconds down.
@Suite struct DateUnixMillisecondsTests {
    @Test func wholeMillisecondsComeBackExactly() {
        let now = Date().unixMilliseconds
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let milliseconds = now + Int64.random(in: -10 * 365 * 86_400_000...10 * 365 * 86_400_000, using: &generator)
            #expect(Date(unixMilliseconds: milliseconds).unixMilliseconds == milliseconds)
        }
    }

    @Test func parsedTimestampsKeepTheirMilliseconds() throws {
        let now = Date()
        for offset in 0..<1000 {
            let text = ISO8601.format(now.addingTimeInterval(Double(offset) * 0.001))
            let parsed = try #require(ISO8601.parse(text))
            #expect(ISO8601.format(Date(unixMilliseconds: parsed.unixMilliseconds)) == text)
        }
    }

    @Test func betweenTwoMillisecondsRoundsDown() {
        let base = Date().unixMilliseconds
        #expect(Date(unixMilliseconds: base).addingTimeInterval(0.0009).unixMilliseconds == base)
        #expect(Date(unixMilliseconds: base).addingTimeInterval(0.0004).unixMilliseconds == base)
        #expect(Date(unixMilliseconds: base).addingTimeInterval(-0.0004).unixMilliseconds == base - 1)
        #expect((0.0015 as TimeInterval).wholeMilliseconds == 2)
        #expect((2.0 as TimeInterval).wholeMilliseconds == 2000)
    }
}

/// Absurd numbers (a corrupt stored time, a provider's `Retry-After: 1e20`) saturate instead of
/// trapping a worker.
@Suite struct MillisecondSaturationTests {
    @Test func hugeDatesAndDurationsSaturate() {
        let bound: Int64 = 9_007_199_254_740_992
        #expect(Date(unixMilliseconds: .max).unixMilliseconds == bound)
        #expect(Date(unixMilliseconds: .min).unixMilliseconds == -bound)
        #expect((1e20 as TimeInterval).wholeMilliseconds == bound)
        #expect((-1e20 as TimeInterval).wholeMilliseconds == -bound)
        #expect(TimeInterval.infinity.wholeMilliseconds == bound)
        #expect(TimeInterval.nan.wholeMilliseconds == 0)
        #expect(Date(unixMilliseconds: .max).unixMilliseconds + (1e20 as TimeInterval).wholeMilliseconds > 0, "sums of saturated values do not overflow")
    }
}
