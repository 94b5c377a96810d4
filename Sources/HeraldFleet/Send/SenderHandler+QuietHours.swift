import Foundation
import HeraldCore
import HeraldDelivery

extension SenderHandler {
    /// The delivery record's fields that say which zone quiet hours judged the job in and why
    /// (`timeZone`, `timeZoneSource`, and `timeZoneWarning` when a configured zone was unusable),
    /// or that its journey waives them (`quietHours`).
    func quietHoursFields(_ job: Job) -> [(String, any RedisArgument)] {
        if job.quietHoursWaived { return [("quietHours", "not respected: the journey sets respectQuietHours false")] }
        guard let zone = job.zone else { return [] }
        var fields: [(String, any RedisArgument)] = [("timeZone", zone.name), ("timeZoneSource", zone.source.rawValue)]
        if !zone.warnings.isEmpty { fields.append(("timeZoneWarning", zone.warnings.map(\.description).joined(separator: "; "))) }
        return fields
    }

    /// A note in the user's trail when quiet hours held the job (`quietHoursHeld`) or a zone the
    /// profile or journey sets could not be used (`timeZoneInvalid`): which zone was used, and why.
    func quietHoursTrailNote(_ job: Job, now: Date) -> [RedisCommand] {
        guard let zone = job.zone else { return [] }
        let what = "\(job.request.channel.rawValue) '\(job.request.template)'"
        if let until = job.quietUntil, case .deferred? = job.outcome {
            return trailNote(
                job, kind: "quietHoursHeld",
                message: "Held \(what) for quiet hours in \(zone.name) until \(ISO8601.format(until)): \(zone.reason)", now: now)
        }
        guard !zone.warnings.isEmpty else { return [] }
        return trailNote(job, kind: "timeZoneInvalid", message: "Quiet hours for \(what) used \(zone.name): \(zone.reason)", now: now)
    }
}
