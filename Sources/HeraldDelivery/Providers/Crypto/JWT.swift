import Foundation
import HeraldCore

/// Compact JSON Web Tokens (RFC 7519) signed with a `SigningKey` (RS256 or ES256).
enum JWT {
    /// `header.claims.signature`, each part base64url without padding; `alg` and `typ` are added to the header.
    static func sign(header: [String: JSONValue] = [:], claims: [String: JSONValue], key: SigningKey) throws(SigningKeyError) -> String {
        var fullHeader = header
        fullHeader["alg"] = .string(key.algorithm == .rs256 ? "RS256" : "ES256")
        fullHeader["typ"] = "JWT"
        let signingInput = base64URL(Array(JSONValue.object(fullHeader).serialized().utf8)) + "."
            + base64URL(Array(JSONValue.object(claims).serialized().utf8))
        let signature = try key.sign(Array(signingInput.utf8))
        return signingInput + "." + base64URL(signature)
    }

    /// Base64url without padding (RFC 4648 §5).
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}
