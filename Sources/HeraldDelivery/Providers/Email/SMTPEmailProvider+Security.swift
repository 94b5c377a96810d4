extension SMTPEmailProvider {
    /// How the SMTP connection is protected.
    public enum Security: String, Sendable, Hashable {
        /// No TLS (local relays and tests only).
        case none
        /// Plain connection upgraded with STARTTLS; the upgrade is required, never skipped.
        case startTLS
        /// TLS from the first byte (`smtps://`, usually port 465).
        case implicitTLS
    }
}
