import Foundation

extension MIMEMessage {
    /// The email for `message`: subject, text, HTML, idempotency key and extra headers from the
    /// message; `List-Unsubscribe` passes through from `message.headers` (with the one-click
    /// header added when it holds an `https:` URL).
    public init(message: OutboundMessage, from: String, fromName: String? = nil, date: Date = Date()) {
        self.init(
            from: from, fromName: fromName, to: message.recipient, subject: message.subject ?? "", text: message.text,
            html: message.html, messageID: MIMEMessage.messageID(forKey: message.idempotencyKey, domain: MIMEMessage.domain(of: from)),
            date: date, idempotencyKey: message.idempotencyKey, extraHeaders: message.headers)
    }

    /// `<herald.<hex>@domain>` from the SHA-256 of the idempotency key: every attempt and every
    /// resend of one message carries the same Message-ID, so a receiver that dedupes by it drops a copy.
    static func messageID(forKey key: String, domain: String) -> String {
        "<herald.\(Digest.hex(Array(Digest.sha256(Array(key.utf8)).prefix(16))))@\(domain)>"
    }

    /// Whether `address` is a single plausible mailbox (`local@domain`, no spaces, brackets or line breaks).
    static func isPlausibleAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasSuffix(".") else { return false }
        return !address.contains { $0.isWhitespace || $0.isNewline || "<>,;\"".contains($0) }
    }
}
