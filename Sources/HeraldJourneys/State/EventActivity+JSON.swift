import Foundation
import HeraldCore

extension EventActivity {
    /// The stored form: `at`, the last time in milliseconds since 1970, and `c`, the day counts as
    /// lowercase hex of varint pairs, newest day first: the days between it and the day before
    /// (the first: between `at`'s day and it) and its count. The compact form stores such hex as
    /// its bytes, so a day costs 2 or 3 bytes.
    var json: JSONValue {
        var members: [String: JSONValue] = ["at": StateField.millis(last)]
        var bytes: [UInt8] = []
        var previous = Self.day(last)
        for (day, count) in days.sorted(by: { $0.key > $1.key }) {
            Self.writeVarint(UInt64(max(previous - day, 0)), into: &bytes)
            Self.writeVarint(UInt64(count), into: &bytes)
            previous = day
        }
        if !bytes.isEmpty {
            members["c"] = .string(String(decoding: bytes.flatMap { [CompactJSON.hexDigits[Int($0 >> 4)], CompactJSON.hexDigits[Int($0 & 0x0F)]] }, as: UTF8.self))
        }
        return .object(members)
    }

    init(json: JSONValue, path: String) throws(UserJourneyStateError) {
        let field = try StateField(json, path: path)
        let last = try field.date("at")
        var days: [Int: Int] = [:]
        if let text = field.optionalString("c") {
            guard let bytes = Self.hexBytes(text) else { throw .invalid(path: "\(path).c", expected: "lowercase hex") }
            var offset = 0
            var day = Self.day(last)
            while offset < bytes.count {
                guard let gap = Self.readVarint(bytes, &offset), let count = Self.readVarint(bytes, &offset),
                    gap <= UInt64(Self.horizonDays), count >= 1, count <= UInt64(Self.maximumDailyCount)
                else { throw .invalid(path: "\(path).c", expected: "pairs of day gaps and counts") }
                day -= Int(gap)
                days[day] = min((days[day] ?? 0) + Int(count), Self.maximumDailyCount)
            }
        }
        self.init(last: last, days: days)
    }

    private static func writeVarint(_ value: UInt64, into bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func readVarint(_ bytes: [UInt8], _ offset: inout Int) -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 63 {
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = CompactJSON.hexDigits.firstIndex(of: digits[index]), let low = CompactJSON.hexDigits.firstIndex(of: digits[index + 1]) else {
                return nil
            }
            bytes.append(UInt8(high << 4 | low))
            index += 2
        }
        return bytes
    }
}
