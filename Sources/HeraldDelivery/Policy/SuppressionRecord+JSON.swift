import Foundation
import HeraldCore

extension SuppressionRecord {
    /// The record as stored: `{"entries":[{"channel":"email","address":"a@b.c","category":"marketing",
    /// "reason":"hard_bounce","since":"2026-11-27T09:00:00.000Z"}]}`; `address` and `category` are
    /// omitted when they mean "all".
    public var json: JSONValue {
        .object([
            "entries": .array(entries.map { entry in
                var members: [String: JSONValue] = [
                    "channel": .string(entry.channel.rawValue), "reason": .string(entry.reason.rawValue),
                    "since": .string(ISO8601.format(entry.since)),
                ]
                if let address = entry.address { members["address"] = .string(address) }
                if let category = entry.category { members["category"] = .string(category.rawValue) }
                return .object(members)
            })
        ])
    }

    /// Reads a stored record. Entries it cannot read are reported, not skipped, because a lost
    /// suppression means mail to a bounced address.
    public init(json: JSONValue) throws(SuppressionRecordError) {
        guard let list = json["entries"]?.arrayValue else { throw .notARecord }
        var entries: [SuppressionEntry] = []
        for (index, item) in list.enumerated() {
            guard let channel = item["channel"]?.stringValue.flatMap(Channel.init(rawValue:)) else {
                throw .invalidEntry(index: index, field: "channel")
            }
            guard let reason = item["reason"]?.stringValue.flatMap(SuppressionReason.init(rawValue:)) else {
                throw .invalidEntry(index: index, field: "reason")
            }
            guard let since = item["since"]?.stringValue.flatMap(ISO8601.parse) else {
                throw .invalidEntry(index: index, field: "since")
            }
            var category: MessageCategory?
            if let text = item["category"]?.stringValue {
                guard let parsed = MessageCategory(rawValue: text) else { throw .invalidEntry(index: index, field: "category") }
                category = parsed
            }
            entries.append(SuppressionEntry(
                channel: channel, address: item["address"]?.stringValue, category: category, reason: reason, since: since))
        }
        self.init(entries: entries)
    }
}
