import CCrypto
import Foundation
import HeraldCore

/// SHA-256 digests that name an address or a user without keeping it: what survives an erasure.
public enum AddressHash {
    /// The SHA-256 of `bytes`, in lowercase hex.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        bytes.withUnsafeBufferPointer { input in
            _ = EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }

    /// The key of an address's surviving suppressions: SHA-256 of `channel:address`, the address
    /// normalised as suppression entries normalise it.
    public static func of(channel: Channel, address: String) -> String {
        sha256Hex(Array((channel.rawValue + ":" + SuppressionEntry.normalize(address: address, channel: channel)).utf8))
    }
}
