/// How an SMS body is encoded on the air interface.
public enum SMSEncoding: String, Sendable, Hashable {
    /// The GSM 03.38 7-bit default alphabet (with its extension table): 160 septets, 153 per part.
    case gsm7 = "GSM-7"
    /// UCS-2 / UTF-16 for anything else: 70 code units, 67 per part.
    case ucs2 = "UCS-2"
}
