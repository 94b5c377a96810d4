import Foundation
import HeraldCore

extension UserJourneyState {
    /// The state as JSON: the stored form, with dates as milliseconds since 1970 and empty members left out.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["userId": .string(userId)]
        if !instances.isEmpty { members["instances"] = .array(instances.map(\.json)) }
        if !watches.isEmpty { members["watches"] = .array(watches.map(\.json)) }
        if !markers.isEmpty { members["markers"] = .object(markers.mapValues(\.json)) }
        if !counters.isEmpty { members["counters"] = .object(counters.mapValues(\.json)) }
        if !timers.isEmpty { members["timers"] = .object(timers.mapValues(StateField.millis)) }
        if !activity.isEmpty { members["activity"] = .object(activity.mapValues(\.json)) }
        if let engagement { members["engagement"] = engagement.json }
        if !merges.isEmpty { members["merges"] = .array(merges.map { .string($0) }) }
        return .object(members)
    }

    /// Reads the state from its JSON form.
    public init(json: JSONValue) throws(UserJourneyStateError) {
        let field = try StateField(json, path: "$")
        self.init(userId: try field.string("userId"))
        for (position, element) in field.array("instances").enumerated() {
            instances.append(try JourneyInstance(json: element, path: "$.instances[\(position)]"))
        }
        for (position, element) in field.array("watches").enumerated() {
            watches.append(try ConversionWatch(json: element, path: "$.watches[\(position)]"))
        }
        for (key, element) in field.object("markers") {
            markers[key] = try JourneyMarker(json: element, path: "$.markers.\(key)")
        }
        for (key, element) in field.object("counters") {
            counters[key] = try TriggerCounter(json: element, path: "$.counters.\(key)")
        }
        let timerField = try StateField(.object(field.object("timers")), path: "$.timers")
        for key in timerField.members.keys { timers[key] = try timerField.date(key) }
        if let member = field.members["activity"], member.objectValue == nil { throw .invalid(path: "$.activity", expected: "an object") }
        for (name, element) in field.object("activity") {
            activity[name] = try EventActivity(json: element, path: "$.activity.\(name)")
        }
        if let histogram = field.members["engagement"] { engagement = try EngagementHours(json: histogram, path: "$.engagement") }
        for (position, element) in field.array("merges").enumerated() {
            guard let id = element.stringValue else { throw .invalid(path: "$.merges[\(position)]", expected: "a string") }
            merges.append(id)
        }
    }
}
