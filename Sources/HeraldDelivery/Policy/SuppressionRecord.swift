import Foundation
import HeraldCore

/// Everything suppressed for one user: bounced and complained addresses, dead device tokens and
/// unsubscribes. Stored as one JSON document per user (see `json` and `init(json:)`).
public struct SuppressionRecord: Sendable, Hashable {
    /// The entries, oldest first, at most one per (channel, address, category, reason).
    public var entries: [SuppressionEntry]

    /// Creates a record.
    public init(entries: [SuppressionEntry] = []) {
        self.entries = entries
    }

    /// The first entry that blocks the message, if any. Entries for every category win over
    /// category-specific ones so a hard bounce is reported as such even when also unsubscribed.
    public func blockingEntry(channel: Channel, category: MessageCategory, address: String?) -> SuppressionEntry? {
        let matches = entries.filter { $0.blocks(channel: channel, category: category, address: address) }
        return matches.first { $0.category == nil } ?? matches.first
    }

    /// The record after an update.
    public func applying(_ update: SuppressionUpdate) -> SuppressionRecord {
        var copy = self
        switch update {
        case .add(let entry):
            copy.entries.removeAll {
                $0.channel == entry.channel && $0.address == entry.address && $0.category == entry.category
                    && $0.reason == entry.reason
            }
            copy.entries.append(entry)
        case .resubscribe(let channel, let category):
            copy.entries.removeAll {
                $0.channel == channel && $0.reason == .unsubscribed && (category == nil || $0.category == category)
            }
        }
        return copy
    }

    /// The record after several updates, in order.
    public func applying(_ updates: [SuppressionUpdate]) -> SuppressionRecord {
        updates.reduce(self) { $0.applying($1) }
    }
}
