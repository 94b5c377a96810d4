/// Counts the segments (billable parts) an SMS body is sent as.
///
/// GSM-7 is used when every character is in the GSM 03.38 basic table or its extension table
/// (extension characters take two septets: escape plus the character); otherwise UCS-2, counted
/// in UTF-16 code units. A single message holds 160 septets or 70 units; a concatenated one
/// 153 or 67 per part (the rest is the UDH), and neither an escape sequence nor a surrogate pair
/// is split across parts. An empty body is 0 segments.
public enum SMSSegments {
    /// The GSM 03.38 basic character set (the escape code 0x1B excluded).
    public static let basic: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)

    /// The GSM 03.38 extension table: each costs two septets.
    public static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// The encoding and segment count for a body.
    public static func count(text: String) -> (encoding: SMSEncoding, segments: Int) {
        let scalars = text.unicodeScalars
        if scalars.allSatisfy({ basic.contains($0) || extended.contains($0) }) {
            let sizes = scalars.map { extended.contains($0) ? 2 : 1 }
            return (.gsm7, segments(sizes: sizes, single: 160, part: 153))
        }
        let sizes = scalars.map { $0.utf16.count }
        return (.ucs2, segments(sizes: sizes, single: 70, part: 67))
    }

    /// Packs indivisible units of the given sizes greedily into parts.
    static func segments(sizes: [Int], single: Int, part: Int) -> Int {
        let total = sizes.reduce(0, +)
        if total == 0 { return 0 }
        if total <= single { return 1 }
        var parts = 1
        var used = 0
        for size in sizes {
            if used + size > part {
                parts += 1
                used = 0
            }
            used += size
        }
        return parts
    }
}
