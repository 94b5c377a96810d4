import Foundation
import HeraldCore

extension JourneyMarker {
    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let enteredAt { members["enteredAt"] = StateField.millis(enteredAt) }
        if let exitedAt { members["exitedAt"] = StateField.millis(exitedAt) }
        if let momentDone { members["momentDone"] = .bool(momentDone) }
        if let sends { members["sends"] = .array(sends.map(StateField.millis)) }
        if let stepSends { members["stepSends"] = .object(stepSends.mapValues { .array($0.map(StateField.millis)) }) }
        return .object(members)
    }

    init(json: JSONValue, path: String) throws(UserJourneyStateError) {
        let field = try StateField(json, path: path)
        func times(_ value: JSONValue, at member: String) throws(UserJourneyStateError) -> [Date] {
            guard let list = value.arrayValue else { throw .invalid(path: "\(path).\(member)", expected: "an array of milliseconds") }
            var dates: [Date] = []
            for element in list {
                guard let number = element.numberValue else { throw .invalid(path: "\(path).\(member)", expected: "an array of milliseconds") }
                dates.append(Date(timeIntervalSince1970: number / 1000))
            }
            return dates
        }
        var sends: [Date]?
        if let value = field.members["sends"] { sends = try times(value, at: "sends") }
        var stepSends: [String: [Date]]?
        if let value = field.members["stepSends"] {
            guard let object = value.objectValue else { throw .invalid(path: "\(path).stepSends", expected: "an object") }
            var bySteps: [String: [Date]] = [:]
            for (step, list) in object { bySteps[step] = try times(list, at: "stepSends.\(step)") }
            stepSends = bySteps
        }
        self.init(
            enteredAt: field.optionalDate("enteredAt"), exitedAt: field.optionalDate("exitedAt"), momentDone: field.members["momentDone"]?.boolValue,
            sends: sends, stepSends: stepSends)
    }
}
