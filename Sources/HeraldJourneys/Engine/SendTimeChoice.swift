import Foundation
import HeraldCore

/// When a `bestTime` wait ends and why: the pure decision from the user's engagement histogram,
/// their zone and the clock.
public struct SendTimeChoice: Sendable, Hashable {
    /// When the wait ends (at most `within` after the start; the start itself when the chosen hour is now).
    public var due: Date
    /// The local time chosen: a learned `HH:00`, or the fallback.
    public var time: LocalTime
    /// Learned, or which fallback.
    public var basis: SendTimeBasis
    /// The opens and clicks the histogram holds.
    public var engagements: Int
    /// The zone `time` is local to.
    public var zone: String

    /// Chooses for a wait starting at `now`. A histogram with at least `minimumEngagements` picks,
    /// among the hours with engagements whose next start (or the current hour, which sends at once)
    /// comes within the bound, the one with the most, the soonest on a tie; otherwise the next
    /// `fallback` in `zone`, no later than the bound. The histogram's own hours are read in its zone.
    public static func choose(_ wait: BestTimeWait, histogram: EngagementHours?, zone: TimeZone, now: Date) -> SendTimeChoice {
        let bound = now.addingTimeInterval(wait.bound.interval)
        let engagements = histogram?.total ?? 0
        if let histogram, engagements >= wait.requiredEngagements {
            let local = TimeZone(identifier: histogram.zone) ?? zone
            var best: (count: Int, at: Date, hour: Int)?
            for (hour, count) in histogram.counts.enumerated() where count > 0 {
                guard let at = nextStart(ofHour: hour, after: now, zone: local), at <= bound else { continue }
                if best == nil || count > best!.count || (count == best!.count && at < best!.at) { best = (count, at, hour) }
            }
            if let best {
                return SendTimeChoice(
                    due: best.at, time: LocalTime((best.hour < 10 ? "0" : "") + "\(best.hour):00")!, basis: .learned, engagements: engagements, zone: local.identifier)
            }
            return fallback(wait, basis: .noHourWithinBound, engagements: engagements, zone: zone, now: now, bound: bound)
        }
        return fallback(wait, basis: .tooLittleHistory, engagements: engagements, zone: zone, now: now, bound: bound)
    }

    static func fallback(_ wait: BestTimeWait, basis: SendTimeBasis, engagements: Int, zone: TimeZone, now: Date, bound: Date) -> SendTimeChoice {
        let time = wait.fallbackTime
        let calendar = LocalCalendar.calendar(zone)
        var due = bound
        for offset in 0..<3 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: now) else { continue }
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day,
                let at = LocalCalendar.date(year: year, month: month, day: dayOfMonth, time: time, zone: zone), at >= now
            else { continue }
            due = min(at, bound)
            break
        }
        return SendTimeChoice(due: due, time: time, basis: basis, engagements: engagements, zone: zone.identifier)
    }

    /// `now` when it is inside `hour` (local), else the next local `hour`:00 after it.
    static func nextStart(ofHour hour: Int, after now: Date, zone: TimeZone) -> Date? {
        let calendar = LocalCalendar.calendar(zone)
        if calendar.component(.hour, from: now) == hour { return now }
        return calendar.nextDate(after: now, matching: DateComponents(hour: hour, minute: 0, second: 0), matchingPolicy: .nextTime)
    }
}
