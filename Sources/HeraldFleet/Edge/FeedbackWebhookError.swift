/// Why the Standard Webhooks feedback endpoint refused a request.
public enum FeedbackWebhookError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `webhook-id`, `webhook-timestamp` or `webhook-signature` header is missing.
    case missingHeader(String)
    /// `webhook-timestamp` is not Unix seconds.
    case badTimestamp(String)
    /// The timestamp is further than the tolerance from now (a replay, or a clock far off).
    case staleTimestamp(seconds: Int)
    /// No `v1` signature matches under any configured secret.
    case badSignature
    /// The body is not a JSON object (or an array of objects).
    case notJSON
    /// An event lacks a field it needs, or a field has a value Herald does not know.
    case invalidField(index: Int, field: String, reason: String)
    /// More events in one request than `FeedbackWebhook.maximumEvents`.
    case tooManyEvents(Int)

    /// Whether the request is refused as not authentic (403) rather than malformed (400).
    public var isAuthentication: Bool {
        switch self {
        case .missingHeader, .badTimestamp, .staleTimestamp, .badSignature: true
        case .notJSON, .invalidField, .tooManyEvents: false
        }
    }

    /// A short code for metrics labels.
    public var code: String {
        switch self {
        case .missingHeader: "unsigned"
        case .badTimestamp, .staleTimestamp: "stale"
        case .badSignature: "bad_signature"
        case .notJSON, .invalidField, .tooManyEvents: "malformed"
        }
    }

    /// What is wrong, for the response (never a secret or an expected signature).
    public var description: String {
        switch self {
        case .missingHeader(let name): "missing \(name) header"
        case .badTimestamp(let text): "webhook-timestamp '\(text)' is not Unix seconds"
        case .staleTimestamp(let seconds): "webhook-timestamp is \(seconds)s from now, beyond the tolerance"
        case .badSignature: "no webhook-signature matches"
        case .notJSON: "the body is not a JSON object or an array of objects"
        case .invalidField(let index, let field, let reason): "event \(index): \(field) \(reason)"
        case .tooManyEvents(let count): "\(count) events in one request; at most \(FeedbackWebhook.maximumEvents)"
        }
    }
}
