import Foundation

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

        /// Reads the relay from `HERALD_SMTP_URL` or `HERALD_SMTP_URL_FILE` (see `init(url:from:fromName:)`),
        /// or else from `HERALD_SMTP_HOST`, `HERALD_SMTP_PORT` (587), `HERALD_SMTP_SECURITY` (`none`,
        /// `startTLS`, `implicitTLS`; default `startTLS`), `HERALD_SMTP_USERNAME` and `HERALD_SMTP_PASSWORD`
        /// (or `_FILE`); plus `HERALD_EMAIL_FROM` (required), `HERALD_EMAIL_FROM_NAME` and `HERALD_SMTP_CA_FILE`.
        public init(environment: CredentialSource) throws(CredentialError) {
            guard let from = environment.value("HERALD_EMAIL_FROM") else { throw .missing(name: "HERALD_EMAIL_FROM") }
            let fromName = environment.value("HERALD_EMAIL_FROM_NAME")
            if let url = try SMTPEmailProvider.Configuration.smtpURL(in: environment) {
                try self.init(url: url, from: from, fromName: fromName)
            } else {
                guard let host = environment.value("HERALD_SMTP_HOST") else { throw .missing(name: "HERALD_SMTP_HOST") }
                self.init(
                    host: host, port: try environment.setting("HERALD_SMTP_PORT").flatMap(Int.init) ?? 587,
                    security: try environment.setting("HERALD_SMTP_SECURITY").flatMap(Security.init(rawValue:)) ?? .startTLS,
                    username: environment.value("HERALD_SMTP_USERNAME"),
                    password: try environment.optionalSecret("HERALD_SMTP_PASSWORD"), from: from, fromName: fromName)
            }
            caFile = environment.value("HERALD_SMTP_CA_FILE")
            if let milliseconds = try environment.setting("HERALD_SMTP_TIMEOUT_MS").flatMap(Int.init) {
                timeout = Double(milliseconds) / 1000
            }
        }

        /// Parses a relay URL: `smtps://user:password@host:465` (implicit TLS) or
        /// `smtp://user:password@host:587` (STARTTLS required; add `?tls=none` for a local relay
        /// without TLS). User and password are percent-decoded; `?helo=name` sets the EHLO name.
        public init(url: Secret, from: String, fromName: String? = nil) throws(CredentialError) {
            let name = "HERALD_SMTP_URL"
            guard let components = URLComponents(string: url.reveal()), let scheme = components.scheme?.lowercased(),
                let host = components.host, !host.isEmpty
            else { throw .malformed(name: name, reason: "expected smtp://[user:password@]host[:port] or smtps://…") }
            let query = Dictionary((components.queryItems ?? []).map { ($0.name.lowercased(), $0.value ?? "") }, uniquingKeysWith: { $1 })
            let security: Security
            switch (scheme, query["tls"]?.lowercased()) {
            case ("smtps", _): security = .implicitTLS
            case ("smtp", "none"): security = .none
            case ("smtp", nil), ("smtp", "starttls"): security = .startTLS
            case ("smtp", _): throw .malformed(name: name, reason: "tls must be none or starttls")
            default: throw .malformed(name: name, reason: "scheme must be smtp or smtps")
            }
            self.init(
                host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host,
                port: components.port ?? (security == .implicitTLS ? 465 : 587), security: security,
                username: components.user.flatMap { $0.isEmpty ? nil : $0 },
                password: components.password.map(Secret.init), from: from, fromName: fromName,
                heloDomain: query["helo"].flatMap { $0.isEmpty ? nil : $0 })
        }

        /// The relay URL from the environment; an empty `_FILE` (the compose demo) means none.
        static func smtpURL(in environment: CredentialSource) throws(CredentialError) -> Secret? {
            do {
                return try environment.optionalSecret("HERALD_SMTP_URL")
            } catch .empty {
                return nil
            }
        }
    }
}
