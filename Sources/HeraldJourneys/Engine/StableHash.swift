/// FNV-1a, 64-bit: a stable hash for ids and split buckets (Swift's `Hasher` is seeded per process).
enum StableHash {
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// A short hexadecimal form of the hash.
    static func hex(_ text: String) -> String {
        let value = String(fnv1a(text), radix: 16)
        return String(repeating: "0", count: max(0, 16 - value.count)) + value
    }
}
