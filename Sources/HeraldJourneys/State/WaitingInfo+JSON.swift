import HeraldCore

extension WaitingInfo {
    var json: JSONValue {
        .object([
            "step": .string(step), "timerId": .string(timerId), "dueAt": StateField.millis(dueAt), "kind": .string(kind.rawValue),
        ])
    }

    init(json: JSONValue, path: String) throws(UserJourneyStateError) {
        let field = try StateField(json, path: path)
        guard let kind = JourneyTimerKind(rawValue: try field.string("kind")) else {
            throw .invalid(path: "\(path).kind", expected: "a timer kind")
        }
        self.init(step: try field.string("step"), timerId: try field.string("timerId"), dueAt: try field.date("dueAt"), kind: kind)
    }
}
