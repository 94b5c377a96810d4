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

        /// Reads the service-account JSON from `FCM_SERVICE_ACCOUNT` or `FCM_SERVICE_ACCOUNT_FILE`
        /// and the base URL from `FCM_BASE_URL`.
        public init(environment: CredentialSource) throws {
            self.init(
                serviceAccount: try FCMServiceAccount(json: try environment.secret("FCM_SERVICE_ACCOUNT")),
                baseURL: environment.value("FCM_BASE_URL") ?? "https://fcm.googleapis.com")
        }
    }
}
