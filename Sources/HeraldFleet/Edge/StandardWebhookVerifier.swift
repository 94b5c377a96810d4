import Foundation
import HeraldDelivery

/// Verifies Standard Webhooks signatures (`webhook-id`, `webhook-timestamp`, `webhook-signature`)
/// with the same signing as Herald's webhook sender (`WebhookSigner`): a request is authentic when
/// one of the space-separated `v1,<base64>` signatures equals the signature under one of the
/// secrets (several while a secret is rotated), compared in constant time, and its timestamp is
/// within `tolerance` seconds of now.
public struct StandardWebhookVerifier: Sendable {
    private let signers: [WebhookSigner]
    /// How far the timestamp may be from now, in seconds (the specification's 5 minutes).
    public var tolerance: Int

    /// Creates a verifier for `secrets` (`whsec_<base64>`, or raw text as `WebhookSigner` takes it).
    public init(secrets: [Secret], tolerance: Int = 300) throws(WebhookSignerError) {
        var signers: [WebhookSigner] = []
        for secret in secrets { signers.append(try WebhookSigner(secret: secret)) }
        self.signers = signers
        self.tolerance = tolerance
    }

    /// Checks the three headers against `body` at `now`.
    public func verify(id: String?, timestamp: String?, signature: String?, body: [UInt8], now: Date) throws(FeedbackWebhookError) {
        guard let id, !id.isEmpty else { throw .missingHeader("webhook-id") }
        guard let timestamp, !timestamp.isEmpty else { throw .missingHeader("webhook-timestamp") }
        guard let signature, !signature.isEmpty else { throw .missingHeader("webhook-signature") }
        guard let seconds = Int(timestamp), String(seconds) == timestamp else { throw .badTimestamp(timestamp) }
        let offset = seconds - Int(now.timeIntervalSince1970)
        guard abs(offset) <= tolerance else { throw .staleTimestamp(seconds: offset) }
        let given = signature.split(separator: " ").map { Array($0.utf8) }
        var matched = false
        for signer in signers {
            let expected = Array(signer.signature(id: id, timestamp: seconds, body: body).utf8)
            // Every candidate is compared, so the time taken does not say which one matched.
            for candidate in given where MessageAuthentication.constantTimeEqual(candidate, expected) { matched = true }
        }
        guard matched else { throw .badSignature }
    }
}
