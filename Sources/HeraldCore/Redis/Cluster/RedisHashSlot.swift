/// A Redis Cluster hash slot (0 ..< 16 384): CRC16 (XMODEM) of the key's hash tag, or of the whole
/// key when it has none, as the cluster specification defines it.
public struct RedisHashSlot: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How many slots a cluster has.
    public static let count = 16_384

    /// The slot number.
    public let rawValue: Int

    /// Wraps a slot number; `rawValue` must be below `RedisHashSlot.count`.
    public init(rawValue: Int) {
        precondition((0..<Self.count).contains(rawValue), "hash slot \(rawValue) out of range")
        self.rawValue = rawValue
    }

    /// The slot of a key given as bytes: only the text between the first `{` and the next `}` is
    /// hashed when that text is not empty.
    public init(key: some Collection<UInt8>) {
        let bytes = Array(key)
        var hashed = bytes[...]
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")),
            let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
        {
            hashed = bytes[(open + 1)..<close]
        }
        rawValue = Int(Self.crc16(hashed) & 0x3FFF)
    }

    /// The slot of `key`.
    public init(_ key: RedisKey) { self.init(key: Array(key.rawValue.utf8)) }

    /// The slot number, for messages.
    public var description: String { String(rawValue) }

    /// Orders slots by number.
    public static func < (lhs: RedisHashSlot, rhs: RedisHashSlot) -> Bool { lhs.rawValue < rhs.rawValue }

    /// CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection.
    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes { crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)] }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}
