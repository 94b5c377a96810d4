import Foundation
import HeraldCore

/// Holds marketing messages during the user's local night, e.g. 21:00–08:00.
///
/// The user's zone is the profile's `timezone` trait, else the journey's `defaults.timeZone`, else
/// the fleet's; a zone that is not in the system tz database is skipped and reported as a
/// `ZoneWarning` (`chooseZone` says which zone and why). Local times come from Foundation's `Calendar`, so DST follows the tz database:
/// when the window's end falls in a spring-forward gap the message goes at the first instant
/// after the gap. Transactional messages are never held.
public struct QuietHoursPolicy: Sendable, Hashable {
    /// When quiet hours begin (inclusive).
    public var start: LocalTime
    /// When they end (exclusive); earlier than `start` means the window crosses midnight, equal
    /// means no quiet hours.
    public var end: LocalTime
    /// The last zone in the chain; always valid.
    public let fleetTimeZone: String
    private let fleetZone: TimeZone

    /// Creates a policy; the fleet zone must exist.
    public init(start: LocalTime, end: LocalTime, fleetTimeZone: String) throws(QuietHoursConfigError) {
        guard let fleetZone = TimeZone(identifier: fleetTimeZone) else { throw .unknownFleetTimeZone(fleetTimeZone) }
        self.start = start
        self.end = end
        self.fleetTimeZone = fleetTimeZone
        self.fleetZone = fleetZone
    }

    /// Whether the window holds any time at all (a start equal to the end means no quiet hours).
    public var isEmpty: Bool { start == end }

    /// Parses a window such as `21:00-08:00`.
    public static func parse(window: String, fleetTimeZone: String) throws(QuietHoursConfigError) -> QuietHoursPolicy {
        let parts = window.trimmingCharacters(in: .whitespaces).split(separator: "-")
        guard parts.count == 2, let start = LocalTime(parts[0].trimmingCharacters(in: .whitespaces)),
            let end = LocalTime(parts[1].trimmingCharacters(in: .whitespaces))
        else { throw .invalidWindow(window) }
        return try QuietHoursPolicy(start: start, end: end, fleetTimeZone: fleetTimeZone)
    }

    /// Whether a local time of day is inside the window.
    public func isQuiet(_ time: LocalTime) -> Bool {
        let minute = time.minuteOfDay
        if start < end { return minute >= start.minuteOfDay && minute < end.minuteOfDay }
        if end < start { return minute >= start.minuteOfDay || minute < end.minuteOfDay }
        return false
    }

    /// The zone to judge a message in: the profile's, else the journey's, else the fleet's. Each
    /// configured zone that does not exist is skipped and reported as a `ZoneWarning`.
    public func chooseZone(profileTimeZone: String?, journeyTimeZone: String?) -> ZoneChoice {
        var rejected: [(ZoneSource, String)] = []
        for (source, candidate) in [(ZoneSource.profile, profileTimeZone), (.journey, journeyTimeZone)] {
            guard let candidate, !candidate.isEmpty else { continue }
            if let zone = TimeZone(identifier: candidate) {
                return ZoneChoice(name: candidate, zone: zone, source: source, warnings: rejected.map { ZoneWarning(source: $0.0, value: $0.1, usedInstead: candidate) })
            }
            rejected.append((source, candidate))
        }
        return ZoneChoice(
            name: fleetTimeZone, zone: fleetZone, source: .fleet,
            warnings: rejected.map { ZoneWarning(source: $0.0, value: $0.1, usedInstead: fleetTimeZone) })
    }

    /// The zone to use, its name as configured (Foundation may canonicalise `UTC` to `GMT`), and
    /// the warnings for configured zones that do not exist.
    public func resolveZone(profileTimeZone: String?, journeyTimeZone: String?) -> (zone: TimeZone, name: String, warnings: [ZoneWarning]) {
        let choice = chooseZone(profileTimeZone: profileTimeZone, journeyTimeZone: journeyTimeZone)
        return (choice.zone, choice.name, choice.warnings)
    }

    /// Decides for one message.
    public func decide(
        category: MessageCategory, now: Date, profileTimeZone: String?, journeyTimeZone: String?
    ) -> QuietHoursDecision {
        guard category == .marketing, !isEmpty else { return .sendNow(zone: "", warnings: []) }
        let choice = chooseZone(profileTimeZone: profileTimeZone, journeyTimeZone: journeyTimeZone)
        guard let until = quietUntil(now: now, in: choice.zone) else {
            return .sendNow(zone: choice.name, warnings: choice.warnings)
        }
        return .deferred(until: until, zone: choice.name, warnings: choice.warnings)
    }

    /// When the quiet window containing `now` ends in `zone`, or `nil` when `now` is not quiet.
    public func quietUntil(now: Date, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        guard let local = LocalTime(hour: parts.hour ?? 0, minute: parts.minute ?? 0), isQuiet(local) else { return nil }
        // `.nextTime` maps an end inside a DST gap to the first instant after it; `.first` picks the
        // earlier of a repeated hour, so the message is not held an extra hour on fall-back night.
        if let next = calendar.nextDate(
            after: now, matching: DateComponents(hour: end.hour, minute: end.minute, second: 0),
            matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward)
        {
            return next
        }
        // Never observed; holding by wall-clock arithmetic beats sending in the middle of the night.
        let minutes = (end.minuteOfDay - local.minuteOfDay + 1440) % 1440
        return now.addingTimeInterval(TimeInterval(minutes * 60))
    }
}
