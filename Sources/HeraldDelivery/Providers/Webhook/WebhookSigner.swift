import Foundation

/// Signs webhook deliveries per the Standard Webhooks specification: the signature is
/// `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), where the key is the base64
/// decoding of the secret after its `whsec_` prefix.
public struct WebhookSigner: Sendable {
    private let key: [UInt8]

    /// Decodes `secret` (`whsec_<base64>`, or bare base64).
    public init(secret: Secret) throws(WebhookSignerError) {
        var text = Substring(secret.reveal())
        if text.hasPrefix("whsec_") { text = text.dropFirst(6) }
        var padded = String(text)
        while padded.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded) else { throw .notBase64 }
        guard !data.isEmpty else { throw .empty }
        key = Array(data)
    }

    /// The `webhook-signature` value for one delivery.
    public func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        let signed = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Data(Digest.hmacSHA256(key: key, message: signed)).base64EncodedString()
    }
}
