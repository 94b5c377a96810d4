import Foundation
import HeraldCore

/// One suppression on a user's record: an address or a whole channel, for one category or all.
public struct SuppressionEntry: Sendable, Hashable {
    /// The channel it applies to.
    public var channel: Channel
    /// The normalised address it applies to, or `nil` for every address on the channel.
    public var address: String?
    /// The category it applies to, or `nil` for every category (transactional included).
    public var category: MessageCategory?
    /// Why it exists.
    public var reason: SuppressionReason
    /// When it was recorded.
    public var since: Date

    /// Creates an entry; `address` is normalised for the channel.
    public init(channel: Channel, address: String? = nil, category: MessageCategory? = nil, reason: SuppressionReason, since: Date) {
        self.channel = channel
        self.address = address.map { SuppressionEntry.normalize(address: $0, channel: channel) }
        self.category = category
        self.reason = reason
        self.since = since
    }

    /// Whether the entry blocks a message on `channel` in `category` to `address`.
    public func blocks(channel: Channel, category: MessageCategory, address: String?) -> Bool {
        guard channel == self.channel else { return false }
        if let blockedCategory = self.category, blockedCategory != category { return false }
        guard let blockedAddress = self.address else { return true }
        guard let address else { return false }
        return blockedAddress == SuppressionEntry.normalize(address: address, channel: channel)
    }

    /// The comparable form of an address: trimmed, and lower-cased for email.
    public static func normalize(address: String, channel: Channel) -> String {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
        // Email local parts are case-sensitive by RFC but not by any mailbox provider that matters.
        return channel == .email ? trimmed.lowercased() : trimmed
    }
}
