import Foundation
import HeraldCore

extension JourneyValidator {
    /// Things that are valid but will not do what the file seems to promise, as of `now`: a fixed
    /// date moment that has passed in every time zone, so the journey enters nobody; a date that
    /// comes round (recurring, anniversary) under `reentry: never`, so each user enters only the first time.
    /// `journeys validate` and `publish` print them without failing.
    public static func warnings(data: Data, file: String, now: Date) -> [JourneyValidationIssue] {
        guard let journey = try? JSONDecoder().decode(Journey.self, from: data), let date = journey.trigger.date else { return [] }
        let comesRound = date.recurring != nil || (date.trait != nil && date.anniversary != false)
        if comesRound, journey.entry.reentry == .never {
            return [JourneyValidationIssue(
                file: file, path: "$.entry.reentry",
                message: "warning: the date trigger comes round again, but reentry 'never' lets each user enter only the first time; use afterExit")]
        }
        guard let moment = date.momentComponents else { return [] }
        var calendar = Calendar(identifier: .gregorian)
        // The last place a wall-clock moment happens is UTC−12.
        calendar.timeZone = TimeZone(secondsFromGMT: -12 * 3600)!
        let parts = DateComponents(year: moment.year, month: moment.month, day: moment.day, hour: moment.time.hour, minute: moment.time.minute)
        guard let latest = calendar.date(from: parts), latest < now else { return [] }
        return [JourneyValidationIssue(
            file: file, path: "$.trigger.date.moment",
            message: "warning: the moment \(journey.trigger.date?.moment ?? "") has passed in every time zone; this journey will enter nobody until it names a later one")]
    }

    /// `warnings(data:file:now:)` for every `*.json` file of `directory`.
    public static func warnings(directory: URL, now: Date) -> [JourneyValidationIssue] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.flatMap { name -> [JourneyValidationIssue] in
            let url = directory.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url) else { return [] }
            return warnings(data: data, file: url.path, now: now)
        } + startJourneyWarnings(directory: directory)
    }
}
