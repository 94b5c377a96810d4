import Foundation

/// Whether quiet hours let a message go now.
public enum QuietHoursDecision: Sendable, Hashable {
    /// Outside quiet hours (or not subject to them). `zone` is the zone used (empty when none was
    /// needed); `warnings` lists configured zones that could not be used.
    case sendNow(zone: String, warnings: [ZoneWarning])
    /// Inside quiet hours: hold it until `until`, the end of the quiet window in `zone`.
    case deferred(until: Date, zone: String, warnings: [ZoneWarning])

    /// The zone warnings, whichever the decision.
    public var warnings: [ZoneWarning] {
        switch self {
        case .sendNow(_, let warnings), .deferred(_, _, let warnings): return warnings
        }
    }
}
