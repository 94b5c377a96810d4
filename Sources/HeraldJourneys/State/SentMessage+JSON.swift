import HeraldCore

extension SentMessage {
    var json: JSONValue {
        .object(["step": .string(step), "idempotencyKey": .string(idempotencyKey), "at": StateField.millis(at)])
    }

    init(json: JSONValue, path: String) throws(UserJourneyStateError) {
        let field = try StateField(json, path: path)
        self.init(step: try field.string("step"), idempotencyKey: try field.string("idempotencyKey"), at: try field.date("at"))
    }
}
