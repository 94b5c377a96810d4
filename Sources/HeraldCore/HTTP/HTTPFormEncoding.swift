/// `application/x-www-form-urlencoded` (WHATWG URL standard): the query string of a request
/// target and HTML form bodies. `+` is a space; `%XX` is a byte; invalid escapes stay as sent.
public enum HTTPFormEncoding {
    /// The name–value pairs of `text` (`a=1&b=two+words`), in order; a name without `=` has an
    /// empty value; empty pairs are skipped.
    public static func decode(_ text: Substring) -> [(name: String, value: String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (unescape(pair[..<equals], plusIsSpace: true), unescape(pair[pair.index(after: equals)...], plusIsSpace: true))
            }
            return (unescape(pair, plusIsSpace: true), "")
        }
    }

    /// The pairs of a form body.
    public static func decode(_ body: [UInt8]) -> [(name: String, value: String)] {
        decode(Substring(String(decoding: body, as: UTF8.self)))
    }

    /// Encodes pairs as a form body or query string (the WHATWG serializer, which Twilio and
    /// Google's token endpoint expect): each side escaped with `escape`.
    public static func encode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { escape($0.name) + "=" + escape($0.value) }.joined(separator: "&")
    }

    /// The pairs of a form body, refusing what a careful reader must not guess at: `nil` when a
    /// percent escape is malformed or the decoded bytes are not UTF-8 (signed provider callbacks).
    public static func decodeStrictly(_ body: [UInt8]) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        for field in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = field.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = unescapeStrictly(parts[0]), let value = parts.count > 1 ? unescapeStrictly(parts[1]) : "" else { return nil }
            pairs.append((name: name, value: value))
        }
        return pairs
    }

    /// A request target split into its percent-decoded path and its decoded query.
    public static func split(target: String) -> (path: String, query: [(name: String, value: String)]) {
        let withoutFragment = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let mark = withoutFragment.firstIndex(of: "?") else {
            return (unescape(withoutFragment, plusIsSpace: false), [])
        }
        return (unescape(withoutFragment[..<mark], plusIsSpace: false), decode(withoutFragment[withoutFragment.index(after: mark)...]))
    }

    /// Percent-decodes `text` (and `+` as a space when `plusIsSpace`); bytes that are not UTF-8 are
    /// replaced.
    public static func unescape(_ text: Substring, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+"), plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]), let low = hexValue(iterator[iterator.startIndex + 1]) {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` as a form field: every byte but ALPHA, DIGIT and `*-._` percent-encoded, and a
    /// space as `+` (the WHATWG `application/x-www-form-urlencoded` serializer).
    public static func escape(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                escaped.append(byte)
            case UInt8(ascii: " "):
                escaped.append(UInt8(ascii: "+"))
            default:
                escaped += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func unescapeStrictly(_ bytes: ArraySlice<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                guard bytes.distance(from: index, to: bytes.endIndex) >= 3,
                    let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else { return nil }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
