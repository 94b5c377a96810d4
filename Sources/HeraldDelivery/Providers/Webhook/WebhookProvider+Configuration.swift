extension WebhookProvider {
    /// How webhook deliveries are signed and sent.
    public struct Configuration: Sendable {
        /// The Standard Webhooks signing secret, `whsec_<base64>`.
        public var secret: Secret
        /// The per-request timeout in seconds.
        public var timeout: Double
        /// The `User-Agent` header.
        public var userAgent: String

        /// Creates a configuration.
        public init(secret: Secret, timeout: Double = 10, userAgent: String = "Herald-Webhooks/1") {
            self.secret = secret
            self.timeout = timeout
            self.userAgent = userAgent
        }

        /// Reads the secret from `HERALD_WEBHOOK_SECRET` or `HERALD_WEBHOOK_SECRET_FILE`.
        public init(environment: CredentialSource) throws(CredentialError) {
            self.init(secret: try environment.secret("HERALD_WEBHOOK_SECRET"))
        }
    }
}
