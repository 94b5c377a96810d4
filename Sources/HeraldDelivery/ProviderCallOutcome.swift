/// One provider call's outcome in two low-cardinality words, for metrics: what happened
/// (`sent`, `retryable`, `permanent`, `invalid_recipient`) and the class of the peer's reply
/// (`http_2xx` … `http_5xx`, `smtp_2xx` … `smtp_5xx`, `timeout`, `transport` for a call that got
/// no reply, `local` for providers on this host, `none` when the provider refused before calling).
public struct ProviderCallOutcome: Sendable, Hashable {
    /// `sent`, `retryable`, `permanent` or `invalid_recipient`.
    public var outcome: String
    /// The reply class.
    public var codeClass: String

    /// Creates an outcome.
    public init(outcome: String, codeClass: String) {
        self.outcome = outcome
        self.codeClass = codeClass
    }

    /// The protocol a provider speaks, which decides the class of a success.
    public enum Transport: Sendable, Hashable {
        /// An HTTP API (Twilio, FCM, APNs, webhooks).
        case http
        /// An SMTP relay.
        case smtp
        /// Nothing leaves the host (outbox directory, in-app inbox, counting sink).
        case local

        /// The protocol of a provider by its name (`RenamedProvider` keeps the kind as prefix).
        public static func of(providerNamed name: String) -> Transport {
            let kind = name.split(separator: "-").first.map(String.init) ?? name
            switch kind {
            case "twilio", "fcm", "apns", "webhook": return .http
            case "smtp": return .smtp
            default: return .local
            }
        }
    }

    /// The outcome of a call that returned `error`, or succeeded when it is `nil`.
    public static func of(_ error: ProviderError?, transport kind: Transport) -> ProviderCallOutcome {
        guard let error else {
            switch kind {
            case .http: return ProviderCallOutcome(outcome: "sent", codeClass: "http_2xx")
            case .smtp: return ProviderCallOutcome(outcome: "sent", codeClass: "smtp_2xx")
            case .local: return ProviderCallOutcome(outcome: "sent", codeClass: "local")
            }
        }
        let outcome: String
        let reason: String
        switch error {
        case .retryable(let text, _): (outcome, reason) = ("retryable", text)
        case .permanent(let text): (outcome, reason) = ("permanent", text)
        case .invalidRecipient(let text): (outcome, reason) = ("invalid_recipient", text)
        }
        return ProviderCallOutcome(outcome: outcome, codeClass: codeClass(reason: reason, retryable: error.isRetryable, transport: kind))
    }

    /// The reply class in a provider error's reason: providers write `HTTP 503` and SMTP's
    /// `(reply 550)` into it (see `HTTPClientResponse.providerError` and `SMTPEmailProvider.classify`).
    static func codeClass(reason: String, retryable: Bool, transport kind: Transport) -> String {
        if let status = number(after: "HTTP ", in: reason) { return "http_\(status / 100)xx" }
        if let reply = number(after: "(reply ", in: reason) { return "smtp_\(reply / 100)xx" }
        let lowered = reason.lowercased()
        if lowered.contains("timed out") || lowered.contains("timeout") { return "timeout" }
        if kind == .local { return "local" }
        return retryable ? "transport" : "none"
    }

    /// The three-digit code right after `marker`, if there is one.
    private static func number(after marker: String, in text: String) -> Int? {
        var rest = Substring(text)
        while let range = rest.range(of: marker) {
            let digits = rest[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if digits.count == 3, let code = Int(digits), (100..<600).contains(code) { return code }
            rest = rest[range.upperBound...]
        }
        return nil
    }
}
