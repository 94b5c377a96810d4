extension APNsProvider {
    /// Which APNs service to send to.
    public enum Environment: String, Sendable, Hashable {
        /// `api.push.apple.com`, for App Store and TestFlight builds.
        case production
        /// `api.sandbox.push.apple.com`, for development builds.
        case sandbox

        /// The service's base URL.
        public var baseURL: String {
            switch self {
            case .production: return "https://api.push.apple.com"
            case .sandbox: return "https://api.sandbox.push.apple.com"
            }
        }
    }
}
