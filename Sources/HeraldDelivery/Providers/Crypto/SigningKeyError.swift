/// Why a private key could not be loaded or used. Never contains key material.
public enum SigningKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The PEM text did not parse as a private key.
    case unreadablePEM(reason: String)
    /// The key is of another algorithm than the one needed (e.g. an EC key where RSA is required).
    case wrongKeyType(expected: String)
    /// libcrypto failed to sign.
    case signingFailed(reason: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unreadablePEM(let reason): return "cannot read the PEM private key: \(reason)"
        case .wrongKeyType(let expected): return "the private key is not an \(expected) key"
        case .signingFailed(let reason): return "signing failed: \(reason)"
        }
    }
}
