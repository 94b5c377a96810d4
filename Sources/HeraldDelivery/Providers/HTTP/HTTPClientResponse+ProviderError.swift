extension HTTPClientResponse {
    /// The provider error this response means, or `nil` for 2xx: 429 and 5xx are retryable (with the
    /// response's Retry-After), 408 too, every other status permanent. `service` names the peer in the reason.
    public func providerError(service: String) -> ProviderError? {
        if isSuccess { return nil }
        let reason = "\(service) answered HTTP \(status)" + excerpt
        if status == 429 || status == 408 || status >= 500 {
            return .retryable(reason: reason, retryAfterSeconds: RetryAfter.seconds(from: header("Retry-After")))
        }
        return .permanent(reason: reason)
    }

    // The start of the body explains most API errors; provider responses carry no credentials.
    private var excerpt: String {
        let snippet = text.prefix(200).filter { !$0.isNewline }
        return snippet.isEmpty ? "" : ": \(snippet)"
    }
}
