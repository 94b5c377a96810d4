import HeraldCore

extension ConversionWatch {
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "instanceId": .string(instanceId), "journey": .string(journey), "version": .number(Double(version)),
            "until": StateField.millis(until), "match": .object(match.mapValues(\.value)),
        ]
        if let lastSend { members["lastSend"] = lastSend.json }
        if let group { members["group"] = .string(group) }
        return .object(members)
    }

    init(json: JSONValue, path: String) throws(UserJourneyStateError) {
        let field = try StateField(json, path: path)
        var lastSend: SentMessage?
        if let sent = field.members["lastSend"] { lastSend = try SentMessage(json: sent, path: "\(path).lastSend") }
        self.init(
            instanceId: try field.string("instanceId"), journey: try field.string("journey"), version: try field.int("version"),
            until: try field.date("until"), match: field.object("match").mapValues(StoredJSON.init), lastSend: lastSend,
            group: field.optionalString("group"))
    }
}
