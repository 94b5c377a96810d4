import Foundation

/// An email as RFC 5322 + MIME text: `multipart/alternative` with UTF-8 quoted-printable
/// `text/plain` and `text/html` parts (or a single part when only one is given), encoded-word
/// subjects and display names, Message-ID, Date, RFC 8058 one-click unsubscribe headers and the
/// Herald idempotency key. Lines end in CRLF and stay within 998 characters.
public struct MIMEMessage: Sendable, Hashable {
    /// The sender's address, e.g. `news@example.com`.
    public var from: String
    /// The sender's display name, if any.
    public var fromName: String?
    /// The recipient's address.
    public var to: String
    /// The subject line.
    public var subject: String
    /// The plain-text body.
    public var text: String?
    /// The HTML body.
    public var html: String?
    /// The Message-ID including angle brackets, e.g. `<uuid@example.com>`.
    public var messageID: String
    /// The Date header's time.
    public var date: Date
    /// An `https:` one-click unsubscribe URL; adds `List-Unsubscribe-Post` (RFC 8058).
    public var unsubscribeURL: String?
    /// A `mailto:` unsubscribe address, e.g. `mailto:unsubscribe@example.com?subject=u123`.
    public var unsubscribeMailto: String?
    /// Sent as `X-Herald-Idempotency-Key`.
    public var idempotencyKey: String?
    /// Further headers; ones Herald writes itself (From, To, Subject, Date, Message-ID, MIME and
    /// Content headers) are ignored here.
    public var extraHeaders: [String: String]

    /// Creates a message; without `messageID` one is made from a random UUID and the domain of `from`.
    public init(
        from: String, fromName: String? = nil, to: String, subject: String, text: String? = nil, html: String? = nil,
        messageID: String? = nil, date: Date = Date(), unsubscribeURL: String? = nil, unsubscribeMailto: String? = nil,
        idempotencyKey: String? = nil, extraHeaders: [String: String] = [:]
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID ?? MIMEMessage.makeMessageID(domain: MIMEMessage.domain(of: from))
        self.date = date
        self.unsubscribeURL = unsubscribeURL
        self.unsubscribeMailto = unsubscribeMailto
        self.idempotencyKey = idempotencyKey
        self.extraHeaders = extraHeaders
    }

    /// A fresh `<uuid@domain>` Message-ID.
    public static func makeMessageID(domain: String) -> String {
        "<\(UUID().uuidString.lowercased())@\(domain)>"
    }

    /// The part of `address` after the last `@`, or `localhost`.
    static func domain(of address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "localhost" }
        let domain = address[address.index(after: at)...].filter { $0 != ">" && !$0.isWhitespace }
        return domain.isEmpty ? "localhost" : String(domain)
    }

    private static let reservedHeaders: Set<String> = [
        "from", "to", "subject", "date", "message-id", "mime-version", "content-type", "content-transfer-encoding",
        "x-herald-idempotency-key",
    ]

    /// The header lines, in order, without the trailing blank line.
    var headerLines: [String] {
        var lines: [String] = []
        if let fromName, !fromName.isEmpty {
            let name = MIMEEncoding.isPlainHeaderText(fromName) ? quoted(fromName) : MIMEEncoding.encodedWords(fromName)
            lines.append(MIMEEncoding.headerLine("From", "\(name) <\(from)>"))
        } else {
            lines.append(MIMEEncoding.headerLine("From", from))
        }
        lines.append(MIMEEncoding.headerLine("To", to))
        lines.append(MIMEEncoding.headerLine("Subject", MIMEEncoding.encodedWords(subject.filter { !$0.isNewline })))
        lines.append("Date: " + MIMEEncoding.rfc5322Date(date))
        lines.append(MIMEEncoding.headerLine("Message-ID", messageID))
        lines.append("MIME-Version: 1.0")
        var unsubscribe = [unsubscribeURL, unsubscribeMailto].compactMap { $0 }.map { "<\($0)>" }
        var oneClick = unsubscribeURL?.lowercased().hasPrefix("https:") == true
        if unsubscribe.isEmpty, let given = extraHeaders.first(where: { $0.key.lowercased() == "list-unsubscribe" })?.value {
            unsubscribe = [given]
            oneClick = given.lowercased().contains("<https:")
        }
        if !unsubscribe.isEmpty {
            lines.append(MIMEEncoding.headerLine("List-Unsubscribe", unsubscribe.joined(separator: ", ")))
            if oneClick { lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click") }
        }
        if let idempotencyKey {
            lines.append(MIMEEncoding.headerLine("X-Herald-Idempotency-Key", idempotencyKey))
        }
        let skipped = MIMEMessage.reservedHeaders.union(["list-unsubscribe", "list-unsubscribe-post"])
        for (name, value) in extraHeaders.sorted(by: { $0.key < $1.key }) {
            let cleanName = name.filter { $0.isASCII && $0 != ":" && !$0.isWhitespace && !$0.isNewline }
            guard !cleanName.isEmpty, !skipped.contains(cleanName.lowercased()) else { continue }
            lines.append(MIMEEncoding.headerLine(cleanName, MIMEEncoding.encodedWords(value.filter { !$0.isNewline })))
        }
        return lines
    }

    private func quoted(_ name: String) -> String {
        let specials = Set("()<>[]:;@\\,.\"")
        guard name.contains(where: { specials.contains($0) }) else { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The whole message as text with CRLF line endings.
    public func rendered() -> String {
        var out = headerLines.joined(separator: "\r\n") + "\r\n"
        switch (text, html) {
        case (let text?, let html?):
            let boundary = "herald-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            out += "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n\r\n"
            out += "This is a multi-part message in MIME format.\r\n"
            out += "--\(boundary)\r\n" + part("text/plain", text)
            out += "--\(boundary)\r\n" + part("text/html", html)
            out += "--\(boundary)--\r\n"
        case (nil, let html?):
            out += part("text/html", html)
        case (let text, nil):
            out += part("text/plain", text ?? "")
        }
        return out
    }

    /// The rendered message as bytes.
    public var bytes: [UInt8] { Array(rendered().utf8) }

    private func part(_ type: String, _ body: String) -> String {
        "Content-Type: \(type); charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + MIMEEncoding.quotedPrintable(body) + "\r\n"
    }
}
