import Foundation
import HeraldDelivery

/// Twilio's `X-Twilio-Signature`, as Twilio documents it ("Secure webhooks"): base64 of the
/// HMAC-SHA1, keyed by the account's auth token, of the full URL Twilio requested (scheme, host,
/// path and query string) followed by every POST parameter's name and value, sorted by name.
public enum TwilioSignature {
    /// The signature Twilio sends for a request to `url` with form `parameters`.
    public static func compute(authToken: String, url: String, parameters: [(name: String, value: String)]) -> String {
        Data(MessageAuthentication.hmacSHA1(key: Array(authToken.utf8), message: Array(signedText(url: url, parameters: parameters).utf8)))
            .base64EncodedString()
    }

    /// The text Twilio signs: `url`, then each parameter as name + value, sorted by name (and by
    /// value for a repeated name), with no separators.
    public static func signedText(url: String, parameters: [(name: String, value: String)]) -> String {
        // Byte order, as Twilio's helpers sort (not Swift's Unicode-aware String order).
        let sorted = parameters.sorted {
            $0.name == $1.name ? $0.value.utf8.lexicographicallyPrecedes($1.value.utf8) : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
        }
        return url + sorted.map { $0.name + $0.value }.joined()
    }

    /// Whether `signature` is valid for the request under any of `authTokens` (several while a
    /// token is rotated), each compared in constant time.
    public static func isValid(
        signature: String?, authTokens: [String], url: String, parameters: [(name: String, value: String)]
    ) -> Bool {
        guard let signature, !signature.isEmpty else { return false }
        let given = Array(signature.utf8)
        var valid = false
        for token in authTokens where !token.isEmpty {
            // Every token is tried, so the time taken does not say which one matched.
            if MessageAuthentication.constantTimeEqual(Array(compute(authToken: token, url: url, parameters: parameters).utf8), given) {
                valid = true
            }
        }
        return valid
    }
}
