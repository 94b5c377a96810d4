extension WebhookProvider {
    /// How webhook deliveries are signed and sent.
    public struct Configuration: Sendable {
        /// The Standard Webhooks signing secret, `whsec_<base64>`.
        public var secret: Secret
        /// The per-request timeout in seconds.
        public var timeout: Double
        /// The `User-Agent` header.
        public var userAgent: String
        /// When set, every delivery goes to this URL instead of the message's recipient (a
        /// secondary endpoint that receives whatever the primary could not take).
        public var endpoint: String?

        /// Creates a configuration.
        public init(secret: Secret, timeout: Double = 10, userAgent: String = "Herald-Webhooks/1", endpoint: String? = nil) {
            self.secret = secret
            self.timeout = timeout
            self.userAgent = userAgent
            self.endpoint = endpoint
        }

        /// Reads the secret from `HERALD_WEBHOOK_SECRET` or `HERALD_WEBHOOK_SECRET_FILE`.
        public init(environment: CredentialSource) throws(CredentialError) {
            self.init(secret: try environment.secret("HERALD_WEBHOOK_SECRET"))
        }
    }
}
