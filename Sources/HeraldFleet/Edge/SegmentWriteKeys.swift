import Foundation

/// The write keys the Tracking API accepts. A key is checked against every configured key in
/// time that depends only on the configured keys' lengths, never on how much of a guess matched.
public struct SegmentWriteKeys: Sendable, Equatable {
    private let keys: [[UInt8]]

    /// The keys (at least one; blank ones are dropped by the configuration).
    public init(_ keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    /// How many keys are configured.
    public var count: Int { keys.count }

    /// The index of the configured key equal to `candidate` (for per-key rate limits), or `nil`.
    public func match(_ candidate: String) -> Int? {
        let bytes = Array(candidate.utf8)
        var found: Int?
        // Every key is compared in full, even after a match: the time says nothing about which matched.
        for (index, key) in keys.enumerated() where Self.constantTimeEqual(key, bytes) {
            found = found ?? index
        }
        return found
    }

    /// Compares over the configured key's whole length, folding a length mismatch into the result
    /// instead of returning early.
    static func constantTimeEqual(_ key: [UInt8], _ candidate: [UInt8]) -> Bool {
        var difference = UInt64(truncatingIfNeeded: key.count ^ candidate.count)
        for index in key.indices {
            let other = index < candidate.count ? candidate[index] : 0
            difference |= UInt64(key[index] ^ other)
        }
        return difference == 0
    }

    /// The user part of an `Authorization: Basic …` header (Segment sends the write key as the
    /// user and an empty password), or `nil` when the header is not Basic or not decodable.
    public static func basicUser(authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8)
        else { return nil }
        let user = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return user
    }
}
