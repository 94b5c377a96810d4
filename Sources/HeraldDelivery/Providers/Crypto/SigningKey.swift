import CCrypto

/// A private key loaded from PEM (PKCS#8 or traditional) that signs SHA-256 digests:
/// RSASSA-PKCS1-v1_5 for RS256 (FCM service accounts) and ECDSA P-256 for ES256 (APNs .p8 keys).
final class SigningKey: @unchecked Sendable {
    // @unchecked Sendable: the EVP_PKEY is never mutated after loading, and every signature uses its
    // own EVP_MD_CTX; OpenSSL 3 documents concurrent read-only use of an EVP_PKEY as thread-safe.
    private let key: OpaquePointer

    /// The algorithms a key can sign for.
    enum Algorithm {
        /// RSASSA-PKCS1-v1_5 with SHA-256.
        case rs256
        /// ECDSA P-256 with SHA-256, signature as raw `r || s` (64 bytes), as JWS requires.
        case es256
    }

    /// The algorithm this key signs with.
    let algorithm: Algorithm

    /// Loads `pem` and checks that it is a key for `algorithm`.
    init(pem: Secret, algorithm: Algorithm) throws(SigningKeyError) {
        let text = pem.reveal()
        let loaded: OpaquePointer? = text.withCString { pointer in
            guard let bio = BIO_new_mem_buf(pointer, Int32(text.utf8.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let loaded else { throw .unreadablePEM(reason: SigningKey.lastError()) }
        let type = EVP_PKEY_get_base_id(loaded)
        switch algorithm {
        case .rs256 where type != EVP_PKEY_RSA:
            EVP_PKEY_free(loaded)
            throw .wrongKeyType(expected: "RSA")
        case .es256 where type != EVP_PKEY_EC || EVP_PKEY_get_bits(loaded) != 256:
            EVP_PKEY_free(loaded)
            throw .wrongKeyType(expected: "EC P-256")
        default:
            break
        }
        key = loaded
        self.algorithm = algorithm
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Signs the SHA-256 digest of `message`.
    func sign(_ message: [UInt8]) throws(SigningKeyError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .signingFailed(reason: "out of memory") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else {
            throw .signingFailed(reason: SigningKey.lastError())
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw .signingFailed(reason: SigningKey.lastError())
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw .signingFailed(reason: SigningKey.lastError())
        }
        signature.removeSubrange(length...)
        return algorithm == .es256 ? try SigningKey.rawECDSASignature(fromDER: signature) : signature
    }

    /// Converts a DER `ECDSA-Sig-Value` to the fixed 64-byte `r || s` form JWS uses.
    static func rawECDSASignature(fromDER der: [UInt8]) throws(SigningKeyError) -> [UInt8] {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw .signingFailed(reason: "malformed DER signature") }
        defer { ECDSA_SIG_free(parsed) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(parsed, &r, &s)
        var raw = [UInt8](repeating: 0, count: 64)
        let written = raw.withUnsafeMutableBufferPointer { buffer in
            (BN_bn2binpad(r, buffer.baseAddress, 32), BN_bn2binpad(s, buffer.baseAddress! + 32, 32))
        }
        guard written.0 == 32, written.1 == 32 else { throw .signingFailed(reason: "ECDSA component too large") }
        return raw
    }

    /// The text of libcrypto's most recent error (and clears the queue).
    private static func lastError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown libcrypto error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
