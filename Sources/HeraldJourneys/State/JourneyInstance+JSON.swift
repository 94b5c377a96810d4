import Foundation
import HeraldCore

extension JourneyInstance {
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "journey": .string(journey), "version": .number(Double(version)), "key": .string(key),
            "step": .string(step), "enteredAt": StateField.millis(enteredAt), "trigger": trigger.value,
            "resets": .number(Double(resets)), "sent": .number(Double(sent)), "converted": .bool(converted),
            "vars": .object(variables), "seen": .array(seen.map { .string($0) }),
        ]
        if let latest { members["latest"] = latest.value }
        if let waiting { members["waiting"] = waiting.json }
        if let lastSend { members["lastSend"] = lastSend.json }
        return .object(members)
    }

    init(json: JSONValue, path: String) throws(UserJourneyStateError) {
        let field = try StateField(json, path: path)
        guard let trigger = field.members["trigger"] else { throw .invalid(path: "\(path).trigger", expected: "an event") }
        self.init(
            id: try field.string("id"), journey: try field.string("journey"), version: try field.int("version"),
            key: try field.string("key"), step: try field.string("step"), enteredAt: try field.date("enteredAt"), trigger: trigger)
        latest = field.members["latest"].map(StoredJSON.init)
        vars = field.object("vars").mapValues(StoredJSON.init)
        if let waiting = field.members["waiting"] { self.waiting = try WaitingInfo(json: waiting, path: "\(path).waiting") }
        resets = (try? field.int("resets")) ?? 0
        sent = (try? field.int("sent")) ?? 0
        if let lastSend = field.members["lastSend"] { self.lastSend = try SentMessage(json: lastSend, path: "\(path).lastSend") }
        seen = field.array("seen").compactMap(\.stringValue)
        converted = field.members["converted"]?.boolValue ?? false
    }
}
