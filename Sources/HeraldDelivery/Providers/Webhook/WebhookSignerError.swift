/// Why a webhook signing secret was refused. Never contains the secret.
public enum WebhookSignerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The part after `whsec_` is not base64.
    case notBase64
    /// The secret decodes to no bytes.
    case empty

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notBase64: return "webhook secret is not base64 after the whsec_ prefix"
        case .empty: return "webhook secret is empty"
        }
    }
}
