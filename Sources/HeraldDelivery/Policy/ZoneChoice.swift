import Foundation

/// The zone quiet hours judged a message in, which setting it came from, and the configured zones
/// that could not be used on the way to it.
public struct ZoneChoice: Sendable, Hashable, CustomStringConvertible {
    /// The zone's name as configured (Foundation may canonicalise `UTC` to `GMT`).
    public var name: String
    /// The zone.
    public var zone: TimeZone
    /// The setting it came from.
    public var source: ZoneSource
    /// Zones set earlier in the chain that do not exist.
    public var warnings: [ZoneWarning]

    /// Creates a choice.
    public init(name: String, zone: TimeZone, source: ZoneSource, warnings: [ZoneWarning] = []) {
        self.name = name
        self.zone = zone
        self.source = source
        self.warnings = warnings
    }

    /// Why this zone, e.g. `the journey's defaults.timeZone; profile timezone 'Mars/Olympus' is
    /// not a known zone` or `the fleet's HERALD_TIME_ZONE; neither the profile nor the journey sets one`.
    public var reason: String {
        var parts = [source.setting]
        parts += warnings.map { "\($0.source.rawValue) timezone '\($0.value)' is not a known zone" }
        let unset: [ZoneSource] = [.profile, .journey].filter { candidate in
            candidate != source && !warnings.contains { $0.source == candidate }
        }
        switch (source, unset) {
        case (.journey, [.profile]): parts.append("the profile sets none")
        case (.fleet, [.profile, .journey]): parts.append("neither the profile nor the journey sets one")
        case (.fleet, [.profile]): parts.append("the profile sets none")
        case (.fleet, [.journey]): parts.append("the journey sets none")
        default: break
        }
        return parts.joined(separator: "; ")
    }

    /// E.g. `Asia/Kolkata (the journey's defaults.timeZone; the profile sets none)`.
    public var description: String { "\(name) (\(reason))" }
}
