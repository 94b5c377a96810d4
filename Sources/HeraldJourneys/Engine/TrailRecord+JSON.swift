import Foundation
import HeraldCore

extension TrailRecord {
    /// The names of each code's details, in `TrailKind.compactDetails` order; `#` marks a number
    /// and `@` a Unix-seconds time.
    static let detailNames: [String: [String]] = [
        "entered": ["key"], "notEntered": ["reason"], "waitingUntil": ["@until"], "waitReset": ["#resets"],
        "timerFired": ["#latenessMs"], "branchTaken": ["next"], "splitAssigned": ["group"], "eventReceived": ["event"],
        "pathTaken": ["event", "#path", "next", "name"],
        "sendRequested": ["channel", "template", "idempotencyKey"], "sendSkipped": ["template"],
        "pastDue": ["policy", "#latenessMs"], "exited": ["reason"], "goalReached": ["#revenue", "attributedStep", "idempotencyKey"],
        "sent": ["idempotencyKey", "provider", "providerMessageId", "duplicate"], "delivered": ["idempotencyKey"],
        "reported": ["idempotencyKey", "status", "reason"], "failed": ["idempotencyKey", "status", "reason", "@retryAt"],
        "suppressed": ["idempotencyKey", "reason"], "deferred": ["idempotencyKey", "@until", "reason"],
        "quietHoursHeld": ["idempotencyKey", "@until", "zone", "reason"], "unknown": ["idempotencyKey", "previousConsumer"],
        "timeZoneInvalid": ["idempotencyKey", "zone", "reason"], "sendTimeChosen": ["time", "basis", "#engagements", "zone"],
        "profileUpdated": ["changes"], "webhookRequested": ["method", "url", "idempotencyKey"], "journeyStarted": ["target"],
        "startedBy": ["startedByJourney", "startedByInstance", "startedByStep"], "listsUpdated": ["added", "removed"],
    ]

    /// The decisions of one trail stream entry of the older form.
    public static func records(in entry: StreamEntry) -> [TrailRecord] {
        let legacy = entry.bytes("entries").flatMap { try? JSONValue.parse($0) }?.arrayValue ?? []
        return legacy.compactMap(TrailRecord.init(legacy:))
    }

    /// The decision as a JSON object in the shape `TrailEntry.json` has (`kind`, `journey`,
    /// `version`, `instanceId`, `step`, the named details and the rendered `message`), at `at`.
    public func json(at: Date?) -> JSONValue {
        var members: [String: JSONValue] = [
            "kind": .string(code), "journey": .string(journey), "version": .number(Double(version)), "message": .string(sentence),
        ]
        if let at { members["at"] = .string(ISO8601.format(at)) }
        if let instanceId { members["instanceId"] = .string(instanceId) }
        if let step { members["step"] = .string(step) }
        for (name, value) in zip(Self.detailNames[code] ?? [], details) where !value.isEmpty {
            if name.hasPrefix("#"), let number = Double(value) {
                members[String(name.dropFirst())] = .number(number)
            } else if name.hasPrefix("@"), let seconds = Double(value) {
                members[String(name.dropFirst())] = .string(ISO8601.format(Date(timeIntervalSince1970: seconds)))
            } else {
                members[name.trimmingCharacters(in: CharacterSet(charactersIn: "#@"))] = .string(value)
            }
        }
        return .object(members)
    }
}
