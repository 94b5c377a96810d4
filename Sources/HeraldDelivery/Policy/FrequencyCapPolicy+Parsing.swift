import Foundation
import HeraldCore

extension FrequencyCapPolicy {
    /// Parses `email=2/1d,sms=1/7d` (items separated by commas or whitespace; a channel may
    /// repeat for several windows). An empty string means no caps.
    public static func parse(_ text: String) throws(FrequencyCapConfigError) -> FrequencyCapPolicy {
        var caps: [FrequencyCap] = []
        for item in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" }) {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw .malformedItem(String(item)) }
            guard let channel = Channel(rawValue: String(parts[0])) else { throw .unknownChannel(String(parts[0])) }
            caps.append(try cap(channel: channel, spec: parts[1], item: String(item)))
        }
        return FrequencyCapPolicy(caps: caps)
    }

    /// Parses JSON: an object from channel to a cap or a list of caps, where a cap is `"2/1d"` or
    /// `{"limit": 2, "window": "1d"}`, e.g. `{"email": ["2/1d", "5/1w"], "sms": {"limit": 1, "window": "7d"}}`.
    public static func parse(json: JSONValue) throws(FrequencyCapConfigError) -> FrequencyCapPolicy {
        guard let members = json.objectValue else { throw .invalidJSON("expected an object of channel to cap") }
        var caps: [FrequencyCap] = []
        for name in members.keys.sorted() {
            guard let channel = Channel(rawValue: name) else { throw .unknownChannel(name) }
            let specs = members[name]!.arrayValue ?? [members[name]!]
            for spec in specs {
                let item = "\(name)=\(spec.displayText)"
                if let text = spec.stringValue {
                    caps.append(try cap(channel: channel, spec: Substring(text), item: item))
                } else if let limit = spec["limit"]?.numberValue, let window = spec["window"]?.stringValue {
                    guard limit >= 1, limit == limit.rounded() else { throw .invalidLimit(item: item) }
                    guard let seconds = FrequencyCap.parseWindow(window) else { throw .invalidWindow(item: item) }
                    caps.append(FrequencyCap(channel: channel, limit: Int(limit), window: seconds))
                } else {
                    throw .malformedItem(item)
                }
            }
        }
        return FrequencyCapPolicy(caps: caps)
    }

    /// Parses either form: JSON when the text starts with `{`, else the compact form.
    public static func parse(config text: String) throws(FrequencyCapConfigError) -> FrequencyCapPolicy {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("{") else { return try parse(trimmed) }
        do {
            return try parse(json: try JSONValue.parse(trimmed))
        } catch let error as FrequencyCapConfigError {
            throw error
        } catch {
            throw .invalidJSON("\(error)")
        }
    }

    private static func cap(channel: Channel, spec: Substring, item: String) throws(FrequencyCapConfigError) -> FrequencyCap {
        let pieces = spec.split(separator: "/", maxSplits: 1)
        guard pieces.count == 2 else { throw .malformedItem(item) }
        guard let limit = Int(pieces[0]), limit >= 1 else { throw .invalidLimit(item: item) }
        guard let window = FrequencyCap.parseWindow(pieces[1]) else { throw .invalidWindow(item: item) }
        return FrequencyCap(channel: channel, limit: limit, window: window)
    }
}
