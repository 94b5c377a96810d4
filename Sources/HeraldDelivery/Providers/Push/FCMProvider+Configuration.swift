extension FCMProvider {
    /// The service account and endpoint.
    public struct Configuration: Sendable {
        /// The service account to authenticate as.
        public var serviceAccount: FCMServiceAccount
        /// The FCM API base URL; tests point it at a local peer.
        public var baseURL: String
        /// The per-request timeout in seconds.
        public var timeout: Double

        /// Creates a configuration.
        public init(serviceAccount: FCMServiceAccount, baseURL: String = "https://fcm.googleapis.com", timeout: Double = 10) {
            self.serviceAccount = serviceAccount
            self.baseURL = baseURL
            self.timeout = timeout
        }

        /// Reads the service-account JSON from `HERALD_FCM_CREDENTIALS` or `HERALD_FCM_CREDENTIALS_FILE`
        /// and the base URL from `HERALD_FCM_BASE_URL`. Throws `CredentialError` or `PushCredentialError`.
        public init(environment: CredentialSource) throws {
            self.init(
                serviceAccount: try FCMServiceAccount(json: try environment.secret("HERALD_FCM_CREDENTIALS")),
                baseURL: try environment.setting("HERALD_FCM_BASE_URL") ?? "https://fcm.googleapis.com")
        }
    }
}
