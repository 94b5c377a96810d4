import Foundation
import HeraldCore
import Testing

@Suite struct ISO8601Tests {
    @Test func parsesOffsetsFractionsAndDates() throws {
        #expect(ISO8601.parse("1970-01-01T00:00:00Z")?.timeIntervalSince1970 == 0)
        #expect(ISO8601.parse("2026-11-27T09:00:00+09:00")?.timeIntervalSince1970 == ISO8601.parse("2026-11-27T00:00:00Z")?.timeIntervalSince1970)
        let fractional = try #require(ISO8601.parse("2026-11-27T09:00:00.250-05:30"))
        #expect(abs(fractional.timeIntervalSince1970 - (ISO8601.parse("2026-11-27T14:30:00Z")!.timeIntervalSince1970 + 0.25)) < 0.0001)
        #expect(ISO8601.parse("2024-02-29")?.timeIntervalSince1970 == 1_709_164_800)
    }

    @Test(arguments: ["2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-27T25:00:00Z", "2026-11-27T09:00:00", "yesterday", "2026-11-27T09:00:00Zjunk"])
    func rejectsInvalidTimestamps(_ text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test func formatsUTCWithMillisecondsAndRoundTrips() {
        let date = Date(timeIntervalSince1970: 1_795_383_330.014)
        #expect(ISO8601.format(date) == "2026-11-22T21:35:30.014Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        #expect(ISO8601.parse(ISO8601.format(date))?.timeIntervalSince1970 == 1_795_383_330.014)
    }
}
