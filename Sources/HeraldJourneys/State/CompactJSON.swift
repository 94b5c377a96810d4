import Foundation
import HeraldCore

/// A compact binary form of a JSON document, the one codec of the stored journey state's
/// version 2 (`UserJourneyState.encoded()`): fewer bytes than JSON text for the same document,
/// decoded back to the identical `JSONValue`.
///
/// Each value starts with a tag byte: `null`, `false`, `true`; an integral number below 2^53 as a
/// zigzag varint, a number with at most 6 decimals as a zigzag varint of its digits and a byte of
/// decimals, any other number as its 8 IEEE-754 bytes; a string as a varint length and its UTF-8,
/// or one byte naming a `dictionary` string, or as a timestamp when it is an ISO-8601 time that
/// `ISO8601.format` writes exactly so, or the varint index of an equal string of 4 bytes or more
/// written before it (in writing order), or, 8 or more lowercase hex digits, as their bytes; an
/// integer of 2^32 or more and a timestamp's Unix milliseconds as the zigzag varint of the
/// difference from the last such value written (0 before the first); an array or object as a varint count and its
/// elements (an object's member names sorted, each a dictionary byte, a reference, or a length and
/// UTF-8; names and strings share the references). The dictionary is part of the format: entries
/// are only ever appended.
public enum CompactJSON {
    static let dictionary: [String] = [
        // The state's member names.
        "instances", "watches", "markers", "counters", "timers", "id", "journey", "version", "key", "step", "enteredAt",
        "trigger", "latest", "vars", "waiting", "resets", "sent", "lastSend", "seen", "converted", "timerId", "dueAt", "kind",
        "instanceId", "until", "match", "idempotencyKey", "at", "exitedAt", "momentDone", "recent", "count", "lastValue", "userId",
        "ih",
        // Event member names (Segment's spec) and common properties.
        "type", "messageId", "anonymousId", "event", "properties", "context", "timestamp", "receivedAt", "sentAt",
        "originalTimestamp", "traits", "name", "category", "groupId", "previousId", "locale", "timezone", "ip", "userAgent",
        "page", "library", "app", "device", "os", "campaign", "email", "phone", "firstName", "lastName", "plan", "cart_id",
        "items", "price", "quantity", "total", "currency", "revenue", "order_id", "product_id", "sku", "url", "path", "title",
        "referrer", "search", "value", "item_count", "source",
        // Common values.
        "track", "identify", "screen", "group", "alias", "resume", "timeout", "inactivity", "date", "en-US", "USD", "EUR",
    ]
    private static let indices: [String: UInt8] = {
        var map: [String: UInt8] = [:]
        for (index, word) in dictionary.enumerated() where map[word] == nil { map[word] = UInt8(index) }
        return map
    }()

    private enum Tag: UInt8 {
        case null = 0, falseValue, trueValue, integer, double, string, word, timestamp, array, object, reference, decimal
        case largeInteger, timestampDelta, hex
    }

    /// What writing and reading remember as they go: the strings a reference may name, and the
    /// last large integer or timestamp, from which the next is written as a difference.
    private struct Context {
        var strings: [String: Int] = [:]
        var last: Int64 = 0
    }

    /// Integers this large (Unix milliseconds, mostly) are written as the difference from the last one.
    static let largeInteger: Int64 = 1 << 32

    /// Strings this long or longer are remembered for references.
    static let referencedLength = 4

    /// The document's bytes.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        write(value, into: &bytes)
        return bytes
    }

    /// Appends the document's bytes to `bytes`.
    public static func write(_ value: JSONValue, into bytes: inout [UInt8]) {
        var context = Context()
        write(value, into: &bytes, written: &context)
    }

    private static func write(_ value: JSONValue, into bytes: inout [UInt8], written: inout Context) {
        switch value {
        case .null: bytes.append(Tag.null.rawValue)
        case .bool(let flag): bytes.append(flag ? Tag.trueValue.rawValue : Tag.falseValue.rawValue)
        case .number(let number):
            if number == number.rounded(), abs(number) < 9_007_199_254_740_992, !(number == 0 && number.sign == .minus) {
                let integer = Int64(number)
                if abs(integer) >= largeInteger, let delta = difference(integer, written.last) {
                    bytes.append(Tag.largeInteger.rawValue)
                    writeSigned(delta, into: &bytes)
                    written.last = integer
                } else {
                    bytes.append(Tag.integer.rawValue)
                    writeSigned(integer, into: &bytes)
                }
            } else if let (digits, decimals) = decimal(number) {
                bytes.append(Tag.decimal.rawValue)
                writeSigned(digits, into: &bytes)
                bytes.append(decimals)
            } else {
                bytes.append(Tag.double.rawValue)
                var bits = number.bitPattern
                for _ in 0..<8 {
                    bytes.append(UInt8(truncatingIfNeeded: bits))
                    bits >>= 8
                }
            }
        case .string(let text):
            if let index = indices[text] {
                bytes += [Tag.word.rawValue, index]
            } else if let milliseconds = timestampMilliseconds(text), let delta = difference(milliseconds, written.last) {
                bytes.append(Tag.timestampDelta.rawValue)
                writeSigned(delta, into: &bytes)
                written.last = milliseconds
            } else if let index = written.strings[text] {
                bytes.append(Tag.reference.rawValue)
                writeUnsigned(UInt64(index), into: &bytes)
            } else if let packed = hexBytes(text) {
                // Lowercase hex (hashes, ids) as its bytes: half the length.
                bytes.append(Tag.hex.rawValue)
                writeUnsigned(UInt64(packed.count), into: &bytes)
                bytes += packed
                if text.utf8.count >= referencedLength { written.strings[text] = written.strings.count }
            } else {
                bytes.append(Tag.string.rawValue)
                writeText(text, into: &bytes)
                if text.utf8.count >= referencedLength { written.strings[text] = written.strings.count }
            }
        case .array(let elements):
            bytes.append(Tag.array.rawValue)
            writeUnsigned(UInt64(elements.count), into: &bytes)
            for element in elements { write(element, into: &bytes, written: &written) }
        case .object(let members):
            bytes.append(Tag.object.rawValue)
            writeUnsigned(UInt64(members.count), into: &bytes)
            // Sorted, so equal documents have equal bytes.
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                writeName(name, into: &bytes, written: &written)
                write(member, into: &bytes, written: &written)
            }
        }
    }

    /// The powers of ten a decimal may use, exact as doubles.
    private static let powers: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `number` as digits and a count of decimals (1…6) that give it back exactly: the digits
    /// divided by the power of ten is the double a JSON parser reads for that decimal literal.
    private static func decimal(_ number: Double) -> (Int64, UInt8)? {
        guard number.isFinite, number != 0, abs(number) < 1e9 else { return nil }
        for decimals in 1...6 {
            let scaled = (number * powers[decimals]).rounded()
            guard abs(scaled) < 9_007_199_254_740_992 else { return nil }
            if (scaled / powers[decimals]).bitPattern == number.bitPattern { return (Int64(scaled), UInt8(decimals)) }
        }
        return nil
    }

    /// Reads a whole document from `bytes`; throws when they are not exactly one.
    public static func decode(_ bytes: some Collection<UInt8>) throws(CompactJSONError) -> JSONValue {
        var reader = Reader(bytes: Array(bytes))
        let value = try reader.value(depth: 0)
        guard reader.offset == reader.bytes.count else { throw .trailingBytes(at: reader.offset) }
        return value
    }

    /// The bytes of `text` when it is 8 or more lowercase hex digits, an even number of them.
    private static func hexBytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 8, utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// `value - last`, when it does not overflow.
    private static func difference(_ value: Int64, _ last: Int64) -> Int64? {
        let (delta, overflow) = value.subtractingReportingOverflow(last)
        return overflow ? nil : delta
    }

    /// The milliseconds of an ISO-8601 time that `ISO8601.format` writes exactly as `text`.
    private static func timestampMilliseconds(_ text: String) -> Int64? {
        guard text.utf8.count == 24, let date = ISO8601.parse(text) else { return nil }
        let milliseconds = date.unixMilliseconds
        guard ISO8601.format(Date(unixMilliseconds: milliseconds)) == text else { return nil }
        return milliseconds
    }

    // A member name: a dictionary byte (0x80 + index), a length below 0x7E and its UTF-8, 0x7E and
    // the varint index of a string written before, or 0x7F, a varint length and the UTF-8.
    private static func writeName(_ name: String, into bytes: inout [UInt8], written: inout Context) {
        if let index = indices[name], index < 0x80 {
            bytes.append(0x80 | index)
            return
        }
        if let index = written.strings[name] {
            bytes.append(0x7E)
            writeUnsigned(UInt64(index), into: &bytes)
            return
        }
        let utf8 = Array(name.utf8)
        if utf8.count < 0x7E {
            bytes.append(UInt8(utf8.count))
        } else {
            bytes.append(0x7F)
            writeUnsigned(UInt64(utf8.count), into: &bytes)
        }
        bytes += utf8
        if utf8.count >= referencedLength { written.strings[name] = written.strings.count }
    }

    private static func writeText(_ text: String, into bytes: inout [UInt8]) {
        let utf8 = Array(text.utf8)
        writeUnsigned(UInt64(utf8.count), into: &bytes)
        bytes += utf8
    }

    private static func writeSigned(_ value: Int64, into bytes: inout [UInt8]) {
        writeUnsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)), into: &bytes)
    }

    private static func writeUnsigned(_ value: UInt64, into bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        /// The strings read so far that a reference may name, in order.
        var strings: [String] = []
        /// The last large integer or timestamp read.
        var last: Int64 = 0

        mutating func following() throws(CompactJSONError) -> Int64 {
            let start = offset
            let (value, overflow) = last.addingReportingOverflow(try signed())
            guard !overflow else { throw .invalid(at: start, detail: "a difference that overflows") }
            last = value
            return value
        }

        mutating func byte() throws(CompactJSONError) -> UInt8 {
            guard offset < bytes.count else { throw .truncated(at: offset) }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func unsigned() throws(CompactJSONError) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let next = try byte()
                guard shift < 64 else { throw .invalid(at: offset - 1, detail: "a varint longer than 64 bits") }
                result |= UInt64(next & 0x7F) << shift
                if next < 0x80 { return result }
                shift += 7
            }
        }

        mutating func signed() throws(CompactJSONError) -> Int64 {
            let raw = try unsigned()
            return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        }

        mutating func count() throws(CompactJSONError) -> Int {
            let start = offset
            let value = try unsigned()
            // Every element takes at least one byte, so a count beyond what is left is corrupt.
            guard value <= UInt64(bytes.count - offset) else { throw .invalid(at: start, detail: "a count of \(value) with \(bytes.count - offset) bytes left") }
            return Int(value)
        }

        mutating func text(length: Int) throws(CompactJSONError) -> String {
            guard length <= bytes.count - offset else { throw .truncated(at: offset) }
            let slice = bytes[offset..<offset + length]
            offset += length
            guard let text = String(validating: slice, as: UTF8.self) else { throw .invalid(at: offset - length, detail: "text that is not UTF-8") }
            return text
        }

        mutating func word() throws(CompactJSONError) -> String {
            let index = Int(try byte())
            guard index < CompactJSON.dictionary.count else { throw .invalid(at: offset - 1, detail: "dictionary index \(index)") }
            return CompactJSON.dictionary[index]
        }

        mutating func value(depth: Int) throws(CompactJSONError) -> JSONValue {
            guard depth < 64 else { throw .invalid(at: offset, detail: "nesting deeper than 64") }
            let start = offset
            guard let tag = Tag(rawValue: try byte()) else { throw .invalid(at: start, detail: "tag \(bytes[start])") }
            switch tag {
            case .null: return .null
            case .falseValue: return .bool(false)
            case .trueValue: return .bool(true)
            case .integer: return .number(Double(try signed()))
            case .double:
                var bits: UInt64 = 0
                for shift in stride(from: 0, to: 64, by: 8) { bits |= UInt64(try byte()) << UInt64(shift) }
                return .number(Double(bitPattern: bits))
            case .string:
                let text = try text(length: count())
                if text.utf8.count >= CompactJSON.referencedLength { strings.append(text) }
                return .string(text)
            case .reference:
                let index = try unsigned()
                guard index < UInt64(strings.count) else { throw .invalid(at: start, detail: "a reference to string \(index) of \(strings.count)") }
                return .string(strings[Int(index)])
            case .decimal:
                let digits = try signed()
                let decimals = Int(try byte())
                guard (1...6).contains(decimals) else { throw .invalid(at: offset - 1, detail: "\(decimals) decimals") }
                return .number(Double(digits) / CompactJSON.powers[decimals])
            case .word: return .string(try word())
            case .timestamp: return .string(ISO8601.format(Date(timeIntervalSince1970: Double(try signed()) / 1000)))
            case .largeInteger: return .number(Double(try following()))
            case .hex:
                let length = try count()
                guard length <= bytes.count - offset else { throw .truncated(at: offset) }
                var digits: [UInt8] = []
                digits.reserveCapacity(length * 2)
                for byte in bytes[offset..<offset + length] {
                    digits.append(CompactJSON.hexDigits[Int(byte >> 4)])
                    digits.append(CompactJSON.hexDigits[Int(byte & 0x0F)])
                }
                offset += length
                let text = String(decoding: digits, as: UTF8.self)
                if text.utf8.count >= CompactJSON.referencedLength { strings.append(text) }
                return .string(text)
            case .timestampDelta: return .string(ISO8601.format(Date(timeIntervalSince1970: Double(try following()) / 1000)))
            case .array:
                let elements = try count()
                var values: [JSONValue] = []
                values.reserveCapacity(elements)
                for _ in 0..<elements { values.append(try value(depth: depth + 1)) }
                return .array(values)
            case .object:
                let members = try count()
                var object: [String: JSONValue] = [:]
                object.reserveCapacity(members)
                for _ in 0..<members {
                    let lead = try byte()
                    let name: String
                    if lead >= 0x80 {
                        let index = Int(lead & 0x7F)
                        guard index < CompactJSON.dictionary.count else { throw .invalid(at: offset - 1, detail: "dictionary index \(index)") }
                        name = CompactJSON.dictionary[index]
                    } else if lead == 0x7E {
                        let index = try unsigned()
                        guard index < UInt64(strings.count) else { throw .invalid(at: offset - 1, detail: "a reference to string \(index) of \(strings.count)") }
                        name = strings[Int(index)]
                    } else {
                        name = try text(length: lead == 0x7F ? count() : Int(lead))
                        if name.utf8.count >= CompactJSON.referencedLength { strings.append(name) }
                    }
                    object[name] = try value(depth: depth + 1)
                }
                return .object(object)
            }
        }
    }
}
