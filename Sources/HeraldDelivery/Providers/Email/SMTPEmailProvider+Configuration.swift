extension SMTPEmailProvider {
    /// The relay to send through and the sender to send as.
    public struct Configuration: Sendable, Hashable {
        /// The relay's host name or address.
        public var host: String
        /// The relay's port (587 for submission with STARTTLS, 465 for implicit TLS, 25 for relay).
        public var port: Int
        /// How the connection is protected.
        public var security: Security
        /// The AUTH user name, if the relay needs one.
        public var username: String?
        /// The AUTH password.
        public var password: Secret?
        /// The From address (also the envelope sender).
        public var from: String
        /// The From display name.
        public var fromName: String?
        /// The name given in EHLO; libcurl's default when `nil`.
        public var heloDomain: String?
        /// The whole-session timeout in seconds.
        public var timeout: Double
        /// A PEM file of CA certificates to trust instead of the system's (private relays, tests).
        public var caFile: String?
        /// Whether to verify the relay's certificate and host name; only turn off for local tests.
        public var verifyPeer: Bool

        /// Creates a configuration.
        public init(
            host: String, port: Int = 587, security: Security = .startTLS, username: String? = nil, password: Secret? = nil,
            from: String, fromName: String? = nil, heloDomain: String? = nil, timeout: Double = 30, caFile: String? = nil,
            verifyPeer: Bool = true
        ) {
            self.host = host
            self.port = port
            self.security = security
            self.username = username
            self.password = password
            self.from = from
            self.fromName = fromName
            self.heloDomain = heloDomain
            self.timeout = timeout
            self.caFile = caFile
            self.verifyPeer = verifyPeer
        }

        /// Reads `HERALD_SMTP_HOST` (required), `HERALD_SMTP_PORT` (587), `HERALD_SMTP_SECURITY`
        /// (`none`, `startTLS`, `implicitTLS`; default `startTLS`), `HERALD_SMTP_USERNAME`,
        /// `HERALD_SMTP_PASSWORD` or `HERALD_SMTP_PASSWORD_FILE`, `HERALD_EMAIL_FROM` (required),
        /// `HERALD_EMAIL_FROM_NAME` and `HERALD_SMTP_CA_FILE`.
        public init(environment: CredentialSource) throws(CredentialError) {
            guard let host = environment.value("HERALD_SMTP_HOST") else { throw .missing(name: "HERALD_SMTP_HOST") }
            guard let from = environment.value("HERALD_EMAIL_FROM") else { throw .missing(name: "HERALD_EMAIL_FROM") }
            self.init(
                host: host, port: environment.value("HERALD_SMTP_PORT").flatMap(Int.init) ?? 587,
                security: environment.value("HERALD_SMTP_SECURITY").flatMap(Security.init(rawValue:)) ?? .startTLS,
                username: environment.value("HERALD_SMTP_USERNAME"),
                password: try environment.optionalSecret("HERALD_SMTP_PASSWORD"), from: from,
                fromName: environment.value("HERALD_EMAIL_FROM_NAME"), caFile: environment.value("HERALD_SMTP_CA_FILE"))
        }
    }
}
