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

    /// Encodes pairs as a form body or query string, escaping all but unreserved characters.
    public static func encode(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { escape($0.name) + "=" + escape($0.value) }.joined(separator: "&")
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

    /// Percent-encodes every byte but the unreserved ones (`A–Z a–z 0–9 - . _ ~`).
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                escaped += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return escaped
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
