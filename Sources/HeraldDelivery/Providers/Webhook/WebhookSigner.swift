import Foundation

/// Signs webhook deliveries per the Standard Webhooks specification: the signature is
/// `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), where the key is the base64
/// decoding of the secret after its `whsec_` prefix.
public struct WebhookSigner: Sendable {
    private let key: [UInt8]

    /// Decodes `secret`: `whsec_<base64>` per the specification. A secret without the prefix (such
    /// as the compose demo's) is used as raw UTF-8 bytes; a receiver verifying with a Standard
    /// Webhooks library then needs `whsec_` + base64 of those bytes.
    public init(secret: Secret) throws(WebhookSignerError) {
        let text = secret.reveal()
        guard text.hasPrefix("whsec_") else {
            guard !text.isEmpty else { throw .empty }
            key = Array(text.utf8)
            return
        }
        var padded = String(text.dropFirst(6))
        while padded.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded) else { throw .notBase64 }
        guard !data.isEmpty else { throw .empty }
        key = Array(data)
    }

    /// The `webhook-signature` value for one delivery.
    public func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        let signed = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Data(MessageAuthentication.hmacSHA256(key: key, message: signed)).base64EncodedString()
    }
}
