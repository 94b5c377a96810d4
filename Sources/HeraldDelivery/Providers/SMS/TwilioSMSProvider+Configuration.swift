extension TwilioSMSProvider {
    /// The Twilio account and sender.
    public struct Configuration: Sendable {
        /// The account SID (`AC…`).
        public var accountSID: String
        /// The auth token (or an API key secret when `apiKeySID` is set).
        public var authToken: Secret
        /// An API key SID (`SK…`) to authenticate with instead of the account SID.
        public var apiKeySID: String?
        /// The sender number in E.164; used when `messagingServiceSID` is `nil`.
        public var from: String?
        /// A Messaging Service SID (`MG…`), which picks the sender itself.
        public var messagingServiceSID: String?
        /// The WhatsApp sender (`whatsapp:+1…`); defaults to `whatsapp:` + `from`.
        public var whatsAppFrom: String?
        /// The URL Twilio posts delivery status updates to.
        public var statusCallback: String?
        /// The API base URL; tests point it at a local peer.
        public var baseURL: String
        /// The per-request timeout in seconds.
        public var timeout: Double

        /// Creates a configuration.
        public init(
            accountSID: String, authToken: Secret, apiKeySID: String? = nil, from: String? = nil,
            messagingServiceSID: String? = nil, whatsAppFrom: String? = nil, statusCallback: String? = nil,
            baseURL: String = "https://api.twilio.com", timeout: Double = 15
        ) {
            self.accountSID = accountSID
            self.authToken = authToken
            self.apiKeySID = apiKeySID
            self.from = from
            self.messagingServiceSID = messagingServiceSID
            self.whatsAppFrom = whatsAppFrom
            self.statusCallback = statusCallback
            self.baseURL = baseURL
            self.timeout = timeout
        }

        /// Reads `HERALD_TWILIO_ACCOUNT_SID` and `HERALD_TWILIO_AUTH_TOKEN` (each also as `_FILE`, as the
        /// compose secrets provide them), `HERALD_TWILIO_API_KEY_SID`, `HERALD_TWILIO_FROM`,
        /// `HERALD_TWILIO_MESSAGING_SERVICE_SID`, `HERALD_TWILIO_WHATSAPP_FROM`,
        /// `HERALD_TWILIO_STATUS_CALLBACK` and `HERALD_TWILIO_BASE_URL`.
        public init(environment: CredentialSource) throws(CredentialError) {
            self.init(
                accountSID: try environment.secret("HERALD_TWILIO_ACCOUNT_SID").reveal(),
                authToken: try environment.secret("HERALD_TWILIO_AUTH_TOKEN"),
                apiKeySID: environment.value("HERALD_TWILIO_API_KEY_SID"), from: environment.value("HERALD_TWILIO_FROM"),
                messagingServiceSID: environment.value("HERALD_TWILIO_MESSAGING_SERVICE_SID"),
                whatsAppFrom: environment.value("HERALD_TWILIO_WHATSAPP_FROM"),
                statusCallback: try environment.setting("HERALD_TWILIO_STATUS_CALLBACK"),
                baseURL: try environment.setting("HERALD_TWILIO_BASE_URL") ?? "https://api.twilio.com")
        }
    }
}
