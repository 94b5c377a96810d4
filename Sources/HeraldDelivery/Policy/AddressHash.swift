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
        return hex(digest.prefix(Int(length)))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    // By hand: `String(format:)` per byte was 17 % of the email sender's CPU under the bench.
    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The key of an address's surviving suppressions: SHA-256 of `channel:address`, the address
    /// normalised as suppression entries normalise it.
    public static func of(channel: Channel, address: String) -> String {
        sha256Hex(Array((channel.rawValue + ":" + SuppressionEntry.normalize(address: address, channel: channel)).utf8))
    }
}
