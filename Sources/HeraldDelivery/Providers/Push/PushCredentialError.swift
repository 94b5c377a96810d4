/// Why push credentials (an FCM service account, an APNs key) were refused. Never contains key material.
public enum PushCredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The service-account JSON is not JSON or lacks a field.
    case invalidServiceAccount(reason: String)
    /// The private key could not be used.
    case invalidKey(SigningKeyError)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidServiceAccount(let reason): return "invalid service account: \(reason)"
        case .invalidKey(let error): return "invalid push signing key: \(error)"
        }
    }
}
