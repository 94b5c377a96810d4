import Foundation
import HeraldCore

extension EngineRun {
    /// Counts an open or click at `date` in the user's engagement hours, local to their zone
    /// (`profile.timezone`, else UTC: no journey's default applies to a user-wide history).
    mutating func recordEngagement(at date: Date) {
        let zone = LocalCalendar.zone(profile: profile, fallback: nil)
        state.engagement = (state.engagement ?? EngagementHours(zone: zone.identifier)).recording(date, in: zone)
    }

    /// When a `bestTime` wait ends, recorded in the trail with the hour chosen and why.
    mutating func bestTimeDue(_ wait: BestTimeWait, step: JourneyStep, at index: Int, journey: Journey) -> Date {
        let zone = LocalCalendar.zone(profile: profile, fallback: journey.defaults.timeZone)
        let choice = SendTimeChoice.choose(wait, histogram: state.engagement, zone: zone, now: now)
        let why: String
        switch choice.basis {
        case .learned:
            let count = state.engagement?.counts[choice.time.hour] ?? 0
            why = "learned: \(count) of the user's \(choice.engagements) opens and clicks were at \(choice.time.hour):00"
        case .tooLittleHistory:
            why = "fallback: \(choice.engagements) opens and clicks, fewer than the \(wait.requiredEngagements) needed"
        case .noHourWithinBound:
            why = "fallback: none of the user's engaged hours comes within \(wait.bound)"
        }
        trail(
            journey.id, journey.version, instance: state.instances[index].id, step: step.id,
            .sendTimeChosen(time: choice.time, basis: choice.basis, engagements: choice.engagements, zone: choice.zone),
            "Best time \(choice.time) \(choice.zone) (\(why))")
        return LocalCalendar.millis(choice.due)
    }
}
