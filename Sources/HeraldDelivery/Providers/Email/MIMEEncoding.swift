import Foundation

/// The encodings an email needs: quoted-printable bodies (RFC 2045), encoded-words in headers
/// (RFC 2047), header folding and RFC 5322 dates.
enum MIMEEncoding {
    /// `text` as quoted-printable UTF-8 with CRLF line breaks and lines of at most 76 characters.
    static func quotedPrintable(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for (index, line) in lines(of: text).enumerated() {
            if index > 0 { out += "\r\n" }
            var width = 0
            let bytes = Array(line.utf8)
            for (position, byte) in bytes.enumerated() {
                let isLast = position == bytes.count - 1
                let token: String
                switch byte {
                case 0x20, 0x09:
                    // Trailing white space is stripped by some transports, so it is encoded.
                    token = isLast ? hex(byte) : String(UnicodeScalar(byte))
                case 0x2E where position == 0:
                    // A leading dot is SMTP's end-of-data marker if a relay forgets to stuff it.
                    token = hex(byte)
                case 33...126 where byte != 0x3D:
                    token = String(UnicodeScalar(byte))
                default:
                    token = hex(byte)
                }
                // 75 leaves room for the "=" of a soft line break.
                if width + token.count > (isLast ? 76 : 75) {
                    out += "=\r\n"
                    width = 0
                }
                out += token
                width += token.count
            }
        }
        return out
    }

    /// The lines of `text`, split at CRLF, LF or CR.
    static func lines(of text: String) -> [Substring] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// Whether `text` can go into a header as it is: printable ASCII and spaces, and nothing that
    /// looks like an encoded-word.
    static func isPlainHeaderText(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || (33...126).contains($0) } && !text.contains("=?")
    }

    /// `text` unchanged when plain, else as RFC 2047 `B` encoded-words of at most 75 characters
    /// each, separated by folding white space (CRLF SP). Scalars are never split across words.
    static func encodedWords(_ text: String) -> String {
        if isPlainHeaderText(text) { return text }
        // "=?UTF-8?B?" + "?=" is 12 characters; 42 bytes encode to 56 base64 characters: 68 in all, so
        // even "Subject: " and the first word fit in 78.
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 42 {
                words.append(word(chunk))
                chunk.removeAll()
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// `name: value` folded at spaces so lines stay within 78 characters where possible (and within
    /// 998 always, for values with spaces; the first word always stays on the first line); CR and LF in the value are removed first.
    static func headerLine(_ name: String, _ value: String) -> String {
        let cleanValue = value.filter { !$0.isNewline }
        let line = name + ": " + cleanValue
        if line.utf8.count <= 78 { return line }
        var out = ""
        var current = ""
        for piece in line.split(separator: " ", omittingEmptySubsequences: false) {
            if current.isEmpty {
                current = String(piece)
            } else if out.isEmpty && current == name + ":" {
                // Folding right after the colon would make some parsers keep a leading space.
                current += " " + piece
            } else if current.utf8.count + 1 + piece.utf8.count > 78 {
                out += current + "\r\n"
                current = " " + piece
            } else {
                current += " " + piece
            }
        }
        return out + current
    }

    /// `date` in RFC 5322 form, e.g. `Sun, 22 Nov 2026 21:30:55 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
