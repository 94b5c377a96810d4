import Foundation
import HeraldCore
import HeraldDelivery

extension SenderHandler {
    /// The delivery record's fields that say which zone quiet hours judged the job in and why
    /// (`timeZone`, `timeZoneSource`, and `timeZoneWarning` when a configured zone was unusable),
    /// or that its journey waives them (`quietHours`).
    func quietHoursFields(_ job: Job) -> [(String, String)] {
        if job.quietHoursWaived { return [("quietHours", "not respected: the journey sets respectQuietHours false")] }
        guard let zone = job.zone else { return [] }
        var fields: [(String, String)] = [("timeZone", zone.name), ("timeZoneSource", zone.source.rawValue)]
        if !zone.warnings.isEmpty { fields.append(("timeZoneWarning", zone.warnings.map(\.description).joined(separator: "; "))) }
        return fields
    }

    /// A note in the user's trail when a zone the profile or journey sets could not be used
    /// (`timeZoneInvalid`): which zone was used, and why. A job quiet hours held has its outcome,
    /// `quietHoursHeld`, which names the zone and why.
    func quietHoursTrailNote(_ job: Job) -> SenderOutcomeRecord.TrailNote? {
        // A held send's outcome (`quietHoursHeld`) names its zone already.
        guard let zone = job.zone, !zone.warnings.isEmpty, job.quietUntil == nil || !isDeferred(job) else { return nil }
        return SenderOutcomeRecord.TrailNote(code: "timeZoneInvalid", details: [zone.name, zone.reason])
    }

    private func isDeferred(_ job: Job) -> Bool {
        if case .deferred? = job.outcome { return true }
        return false
    }
}
