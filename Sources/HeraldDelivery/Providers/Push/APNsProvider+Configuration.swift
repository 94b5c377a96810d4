extension APNsProvider {
    /// The signing key, app and endpoint.
    public struct Configuration: Sendable {
        /// The 10-character key id of the .p8 key.
        public var keyID: String
        /// The 10-character Apple developer team id.
        public var teamID: String
        /// The .p8 key (PKCS#8 PEM, EC P-256).
        public var privateKey: Secret
        /// The app's bundle id, sent as `apns-topic`.
        public var topic: String
        /// The base URL: an `Environment`'s, or a local peer's in tests.
        public var baseURL: String
        /// The HTTP version: APNs requires HTTP/2 (`.http2TLS`); tests use `.http2PriorKnowledge` (h2c).
        public var httpVersion: HTTPVersion
        /// The per-request timeout in seconds.
        public var timeout: Double

        /// Creates a configuration.
        public init(
            keyID: String, teamID: String, privateKey: Secret, topic: String, environment: Environment = .production,
            baseURL: String? = nil, httpVersion: HTTPVersion = .http2TLS, timeout: Double = 10
        ) {
            self.keyID = keyID
            self.teamID = teamID
            self.privateKey = privateKey
            self.topic = topic
            self.baseURL = baseURL ?? environment.baseURL
            self.httpVersion = httpVersion
            self.timeout = timeout
        }

        /// Reads `HERALD_APNS_KEY` or `HERALD_APNS_KEY_FILE` (the .p8 file), `HERALD_APNS_KEY_ID`,
        /// `HERALD_APNS_TEAM_ID`, `HERALD_APNS_TOPIC` and `HERALD_APNS_ENVIRONMENT` (`production` or `sandbox`).
        public init(environment: CredentialSource) throws(CredentialError) {
            guard let keyID = environment.value("HERALD_APNS_KEY_ID") else { throw .missing(name: "HERALD_APNS_KEY_ID") }
            guard let teamID = environment.value("HERALD_APNS_TEAM_ID") else { throw .missing(name: "HERALD_APNS_TEAM_ID") }
            guard let topic = environment.value("HERALD_APNS_TOPIC") else { throw .missing(name: "HERALD_APNS_TOPIC") }
            self.init(
                keyID: keyID, teamID: teamID, privateKey: try environment.secret("HERALD_APNS_KEY"), topic: topic,
                environment: try environment.setting("HERALD_APNS_ENVIRONMENT").flatMap(Environment.init(rawValue:)) ?? .production)
        }
    }
}
