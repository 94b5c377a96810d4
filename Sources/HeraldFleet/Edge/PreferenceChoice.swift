import HeraldCore
import HeraldDelivery

/// One box on the preference page: a channel and a category a person may keep or turn off.
/// Its form value is `<channel>:<category>` (`email:marketing`).
public struct PreferenceChoice: Sendable, Hashable {
    /// The channel.
    public var channel: Channel
    /// The category.
    public var category: MessageCategory

    /// Creates a choice.
    public init(channel: Channel, category: MessageCategory) {
        self.channel = channel
        self.category = category
    }

    /// Every box on the page, in the order shown.
    public static let all: [PreferenceChoice] = PreferenceLocale.channels.flatMap { channel in
        MessageCategory.allCases.map { PreferenceChoice(channel: channel, category: $0) }
    }

    /// The form value.
    public var formValue: String { channel.rawValue + ":" + category.rawValue }

    /// The choice a form value names, if it is one of the page's boxes.
    public init?(formValue: String) {
        let parts = formValue.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let channel = Channel(rawValue: String(parts[0])), PreferenceLocale.channels.contains(channel),
            let category = MessageCategory(rawValue: String(parts[1]))
        else { return nil }
        self.init(channel: channel, category: category)
    }

    /// The boxes a person still receives, as their suppression record says: every box but those
    /// an unsubscribe (for the box's category, or for all) turns off. Bounces and complaints are
    /// about an address, not a choice, and do not show here.
    public static func kept(by record: SuppressionRecord) -> Set<PreferenceChoice> {
        Set(all.filter { choice in
            !record.entries.contains {
                $0.reason == .unsubscribed && $0.address == nil && $0.channel == choice.channel
                    && ($0.category == nil || $0.category == choice.category)
            }
        })
    }
}
