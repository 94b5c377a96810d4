/// How many SMS segments a text needs and in which encoding (3GPP TS 23.038 / 23.040).
///
/// Text that fits the GSM 7-bit default alphabet (with its extension table, whose characters take
/// two septets) is sent as GSM-7: 160 septets in one segment, 153 per segment when concatenated.
/// Anything else is UCS-2: 70 UTF-16 units alone, 67 per segment. Escape pairs and surrogate
/// pairs are never split across segments.
struct GSMSegments: Sendable, Hashable {
    /// The encoding a carrier will use.
    enum Encoding: String, Sendable, Hashable {
        /// The GSM 03.38 7-bit alphabet.
        case gsm7 = "GSM-7"
        /// UCS-2 (UTF-16) for anything outside it.
        case ucs2 = "UCS-2"
    }

    /// The encoding.
    let encoding: Encoding
    /// The number of segments (0 for empty text).
    let count: Int
    /// The length in encoding units: septets for GSM-7, UTF-16 units for UCS-2.
    let units: Int

    private static let basic: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)
    private static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// Measures `text`.
    init(_ text: String) {
        var sizes: [Int] = []
        var isGSM = true
        for scalar in text.unicodeScalars {
            if GSMSegments.basic.contains(scalar) {
                sizes.append(1)
            } else if GSMSegments.extended.contains(scalar) {
                sizes.append(2)
            } else {
                isGSM = false
                break
            }
        }
        if !isGSM {
            sizes = text.unicodeScalars.map { $0.utf16.count }
        }
        encoding = isGSM ? .gsm7 : .ucs2
        let single = isGSM ? 160 : 70
        let perPart = isGSM ? 153 : 67
        units = sizes.reduce(0, +)
        if units == 0 {
            count = 0
        } else if units <= single {
            count = 1
        } else {
            var parts = 1
            var used = 0
            for size in sizes {
                if used + size > perPart {
                    parts += 1
                    used = 0
                }
                used += size
            }
            count = parts
        }
    }
}
