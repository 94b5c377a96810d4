import Foundation
import HeraldCore
import HeraldDelivery

/// Signs and verifies tracked-link tokens: base64url of a JSON array (kind, user, message key,
/// journey, template, url), a `.`, and base64url of the HMAC-SHA256 of `herald-link-v1.` + that
/// first part. New tokens are signed with the first secret; a token verifies under any of them,
/// so a secret can be rotated without breaking links already mailed. The email sender and the
/// edge share the secrets (`HERALD_EDGE_LINK_SECRETS`).
public struct TrackedLinkSigner: Sendable {
    private let keys: [[UInt8]]

    /// Creates a signer; `nil` when no secret is given (tracking off).
    public init?(secrets: [Secret]) {
        let keys = secrets.map { Array($0.reveal().utf8) }.filter { !$0.isEmpty }
        guard !keys.isEmpty else { return nil }
        self.keys = keys
    }

    /// The token for `link`.
    public func token(for link: TrackedLink) -> String {
        let fields: [JSONValue] = [
            .string(link.kind.rawValue), .string(link.userId), .string(link.messageKey), .string(link.journey),
            .string(link.template), link.url.map { .string($0) } ?? .null,
        ]
        let payload = Self.base64URL(Array(JSONValue.array(fields).serialized().utf8))
        return payload + "." + Self.base64URL(Self.mac(key: keys[0], payload: payload))
    }

    /// The link `token` names, when its signature verifies under one of the secrets and it is
    /// well formed; `nil` for anything else (unsigned, altered, truncated, another kind's shape).
    public func verify(_ token: String) -> TrackedLink? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let signature = Self.decodeBase64URL(String(parts[1])) else { return nil }
        let payload = String(parts[0])
        var valid = false
        for key in keys where MessageAuthentication.constantTimeEqual(Self.mac(key: key, payload: payload), signature) { valid = true }
        guard valid, let bytes = Self.decodeBase64URL(payload), let fields = try? JSONValue.parse(bytes).arrayValue, fields.count == 6,
              let kind = fields[0].stringValue.flatMap(TrackedLink.Kind.init(rawValue:)),
              let user = fields[1].stringValue, let key = fields[2].stringValue,
              let journey = fields[3].stringValue, let template = fields[4].stringValue
        else { return nil }
        let url = fields[5].stringValue
        guard (kind == .click) == (url != nil) else { return nil }
        return TrackedLink(kind: kind, url: url, userId: user, messageKey: key, journey: journey, template: template)
    }

    private static func mac(key: [UInt8], payload: String) -> [UInt8] {
        MessageAuthentication.hmacSHA256(key: key, message: Array(("herald-link-v1." + payload).utf8))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ text: String) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var padded = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while padded.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded).map { Array($0) }
    }
}
