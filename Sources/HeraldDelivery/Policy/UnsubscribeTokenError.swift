import Foundation

/// Why an unsubscribe token, or the keys for one, was refused.
public enum UnsubscribeTokenError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No key, or a key shorter than 16 bytes.
    case weakKey(index: Int, bytes: Int)
    /// The text is not `payload.signature` in base64url.
    case malformed
    /// The signature matches none of the keys: tampered with, or made with a retired key.
    case badSignature
    /// The signature is good but the payload is not a token Herald makes.
    case invalidPayload
    /// The token is older than the verifier accepts.
    case expired(issuedAt: Date, maxAge: TimeInterval)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .weakKey(let index, let bytes): return "unsubscribe key \(index) has \(bytes) bytes; at least 16 are needed"
        case .malformed: return "unsubscribe token is malformed"
        case .badSignature: return "unsubscribe token signature does not verify"
        case .invalidPayload: return "unsubscribe token payload is not valid"
        case .expired(let issuedAt, let maxAge): return "unsubscribe token issued \(issuedAt) is older than \(maxAge)s"
        }
    }
}
