/// The text fields of a `multipart/form-data` body (RFC 7578), as RFC 8058 allows a one-click
/// unsubscribe to be sent: each part's `name` from its `Content-Disposition`, its body as UTF-8.
public enum HTTPMultipartForm {
    /// The fields of `body`, in order; `nil` when `contentType` has no boundary or the body is not
    /// delimited by it.
    public static func fields(_ body: [UInt8], contentType: String) -> [(name: String, value: String)]? {
        guard let boundary = parameter("boundary", in: contentType), !boundary.isEmpty else { return nil }
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var rest = body[...]
        guard let first = find(delimiter, in: rest) else { return nil }
        rest = rest[(first + delimiter.count)...]
        while let next = find(delimiter, in: rest) {
            parts.append(rest[rest.startIndex..<next])
            rest = rest[(next + delimiter.count)...]
        }
        guard rest.starts(with: Array("--".utf8)) else { return nil }
        var fields: [(name: String, value: String)] = []
        for part in parts {
            guard let split = find(Array("\r\n\r\n".utf8), in: part) else { return nil }
            let head = String(decoding: part[part.startIndex..<split], as: UTF8.self)
            var value = part[(split + 4)...]
            if value.suffix(2).elementsEqual([13, 10]) { value = value.dropLast(2) }
            let disposition = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-disposition:") }
            guard let disposition, let name = parameter("name", in: String(disposition)) else { continue }
            fields.append((name, String(decoding: value, as: UTF8.self)))
        }
        return fields
    }

    /// A `;`-separated parameter's value, unquoted.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = Substring(pair[1])
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard needle.count <= haystack.count, let first = needle.first else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
