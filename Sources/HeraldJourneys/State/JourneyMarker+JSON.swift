import HeraldCore

extension JourneyMarker {
    var json: JSONValue {
        var members: [String: JSONValue] = [:]
        if let enteredAt { members["enteredAt"] = StateField.millis(enteredAt) }
        if let exitedAt { members["exitedAt"] = StateField.millis(exitedAt) }
        if let momentDone { members["momentDone"] = .bool(momentDone) }
        return .object(members)
    }

    init(json: JSONValue, path: String) throws(UserJourneyStateError) {
        let field = try StateField(json, path: path)
        self.init(enteredAt: field.optionalDate("enteredAt"), exitedAt: field.optionalDate("exitedAt"), momentDone: field.members["momentDone"]?.boolValue)
    }
}
