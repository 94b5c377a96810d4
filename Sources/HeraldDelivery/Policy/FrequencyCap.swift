import Foundation
import HeraldCore

/// At most `limit` marketing messages per user on `channel` in any rolling `window`, across all
/// journeys. Written `email=2/1d` in configuration.
public struct FrequencyCap: Sendable, Hashable, CustomStringConvertible {
    /// The channel it limits.
    public var channel: Channel
    /// How many messages the window may hold.
    public var limit: Int
    /// The rolling window, in seconds.
    public var window: TimeInterval

    /// Creates a cap.
    public init(channel: Channel, limit: Int, window: TimeInterval) {
        self.channel = channel
        self.limit = limit
        self.window = window
    }

    /// The window in whole milliseconds, as the Lua script counts it.
    public var windowMilliseconds: Int64 { Int64((window * 1000).rounded()) }

    /// The configuration form, e.g. `email=2/1d`.
    public var description: String { "\(channel.rawValue)=\(limit)/\(FrequencyCap.format(window: window))" }

    /// Parses a window such as `90s`, `30m`, `12h`, `1d` or `2w`.
    public static func parseWindow(_ text: some StringProtocol) -> TimeInterval? {
        guard let unit = text.last, let amount = Int(text.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "s": return TimeInterval(amount)
        case "m": return TimeInterval(amount) * 60
        case "h": return TimeInterval(amount) * 3600
        case "d": return TimeInterval(amount) * 86_400
        case "w": return TimeInterval(amount) * 604_800
        default: return nil
        }
    }

    static func format(window: TimeInterval) -> String {
        let seconds = Int(window)
        for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60)] where seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
