import Foundation
import HeraldCore

extension TriggerCounter {
    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let recent { members["recent"] = .array(recent.map(StateField.millis)) }
        if let count { members["count"] = .number(Double(count)) }
        if let lastValue { members["lastValue"] = .number(lastValue) }
        if let matching { members["matching"] = .bool(matching) }
        return .object(members)
    }

    init(json: JSONValue, path: String) throws(UserJourneyStateError) {
        let field = try StateField(json, path: path)
        self.init(
            recent: field.members["recent"]?.arrayValue?.compactMap { $0.numberValue.map { Date(timeIntervalSince1970: $0 / 1000) } },
            count: field.members["count"]?.numberValue.map { Int($0) }, lastValue: field.members["lastValue"]?.numberValue,
            matching: field.members["matching"]?.boolValue)
    }
}
