import Foundation
import HeraldCore
import Testing

/// `LocalTime` is the one time-of-day type: journeys' send times and windows and the senders'
/// quiet hours parse it by the same rule.
@Suite struct LocalTimeTests {
    @Test(arguments: [("09:00", 9, 0), ("9:00", 9, 0), ("8:05", 8, 5), ("21:30", 21, 30), ("00:00", 0, 0), ("23:59", 23, 59), ("08", 8, 0), ("21", 21, 0), ("7", 7, 0)])
    func parsesAOneOrTwoDigitHourAndATwoDigitMinuteOrAWholeHour(text: String, hour: Int, minute: Int) {
        let time = LocalTime(text)
        #expect(time?.hour == hour)
        #expect(time?.minute == minute)
        #expect(time?.description == (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)")
    }

    @Test(arguments: ["8:5", "24", "+8", "24:00", "08:60", "+8:05", "-1:00", " 8:05", "8:05 ", "123:00", "08:00:00", "", ":", "ab:cd", "٠٨:٠٥"])
    func rejectsEveryOtherSpelling(text: String) {
        #expect(LocalTime(text) == nil)
    }

    @Test func decodesAndEncodesAsText() throws {
        let decoded = try JSONDecoder().decode([LocalTime].self, from: Data(#"["7:45","19:00"]"#.utf8))
        #expect(decoded.map(\.minuteOfDay) == [7 * 60 + 45, 19 * 60])
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == #"["07:45","19:00"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalTime].self, from: Data(#"["7pm"]"#.utf8)) }
    }

    @Test func ordersByTimeOfDay() throws {
        let times = try ["21:00", "08:30", "8:00"].map { try #require(LocalTime($0)) }
        #expect(times.sorted().map(\.description) == ["08:00", "08:30", "21:00"])
        #expect(LocalTime(hour: 24) == nil)
        #expect(LocalTime(hour: 7, minute: 60) == nil)
    }
}
