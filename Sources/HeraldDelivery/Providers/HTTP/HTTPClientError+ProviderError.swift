extension HTTPClientError {
    /// The provider error for a request that got no response: an invalid request is permanent,
    /// timeouts, connection and other transfer failures are retryable.
    public var providerError: ProviderError {
        switch self {
        case .invalidRequest: return .permanent(reason: description)
        case .timedOut, .connectionFailed, .transferFailed: return .retryable(reason: description)
        }
    }
}
