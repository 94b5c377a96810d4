import CCrypto

/// HMAC-SHA1 and HMAC-SHA256 through libcrypto, and a constant-time comparison: the one home of
/// Herald's message authentication (unsubscribe tokens, webhook signatures, the edge's callbacks
/// and tracked links).
public enum MessageAuthentication {
    /// The HMAC-SHA1 of `message` under `key` (Twilio's `X-Twilio-Signature`).
    public static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        hmac(EVP_sha1(), size: 20, key: key, message: message)
    }

    /// The HMAC-SHA256 of `message` under `key`.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        hmac(EVP_sha256(), size: 32, key: key, message: message)
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private static func hmac(_ digest: OpaquePointer?, size: Int, key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                HMAC(digest, keyBytes.baseAddress, Int32(keyBytes.count), messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                     messageBytes.count, &out, &length)
            }
        }
        precondition(result != nil && Int(length) == size, "HMAC failed")
        return out
    }
}
