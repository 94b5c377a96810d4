import Foundation
import HeraldCore

extension UserJourneyState {
    /// The first byte of the stored form version 2: `CompactJSON` of `compactJSON(user:)`. Version 1,
    /// the JSON text of `json`, starts with `{` and still reads.
    public static let compactFormTag: UInt8 = 2

    /// The state's JSON with what its key and defaults already say left out, the document the
    /// stored form version 2 holds: no `userId` (the key names the user); per instance, no member at
    /// its default (`version` 1, `resets` 0, `sent` 0, `converted` false, empty `vars` and `seen`), the id as
    /// `ih`, its hash, when it is `<journey>-<hash>`, the waiting timer's id when it is the one
    /// `JourneyTimer.instanceTimerId` builds, the waiting step when it is the instance's and the
    /// waiting kind when it is `resume`, and the trigger's and latest event's `userId` when it
    /// is the user's (one without a `userId` is stored with `"userId": null`). Watches store their
    /// instance id as `ih` the same way. The event summary (`activity`) is kept as its JSON: its
    /// day counts are lowercase hex, which `CompactJSON` stores as the bytes. The engagement
    /// histogram is `eh`: its zone, then each counted hour and its count
    /// (`EngagementHours.compactJSON`); blobs written before it have none.
    func compactJSON(user: String) -> JSONValue {
        guard case .object(var members) = json else { return json }
        members["userId"] = nil
        if case .array(let list)? = members["instances"] { members["instances"] = .array(list.map { Self.compactInstance($0, user: user) }) }
        if case .array(let list)? = members["watches"] { members["watches"] = .array(list.map(Self.compactIds)) }
        if members["engagement"] != nil {
            members["engagement"] = nil
            members["eh"] = engagement?.compactJSON
        }
        return .object(members)
    }

    /// The state from the document of `compactJSON(user:)`.
    init(compactJSON document: JSONValue, userId: String) throws(UserJourneyStateError) {
        guard case .object(var members) = document else { throw .invalid(path: "$", expected: "an object") }
        members["userId"] = .string(userId)
        if case .array(let list)? = members["instances"] { members["instances"] = .array(list.map { Self.expandInstance($0, user: userId) }) }
        if case .array(let list)? = members["watches"] { members["watches"] = .array(list.map(Self.expandIds)) }
        if let histogram = members.removeValue(forKey: "eh") {
            // Unreadable stays unreadable: the whole state fails closed rather than losing the history.
            guard let expanded = EngagementHours.expand(compact: histogram) else { throw .invalid(path: "$.eh", expected: "a zone and hour, count pairs") }
            members["engagement"] = expanded
        }
        try self.init(json: .object(members))
    }

    private static func compactInstance(_ instance: JSONValue, user: String) -> JSONValue {
        guard case .object(var members) = compactIds(instance) else { return instance }
        if members["resets"] == .number(0) { members["resets"] = nil }
        // Version 1 is left out; any other is stored.
        if members["version"] == .number(1) { members["version"] = nil } else if members["version"] == nil { members["version"] = .null }
        if members["sent"] == .number(0) { members["sent"] = nil }
        if members["converted"] == .bool(false) { members["converted"] = nil }
        if members["vars"] == .object([:]) { members["vars"] = nil }
        if members["seen"] == .array([]) { members["seen"] = nil }
        for name in ["trigger", "latest"] {
            guard case .object(var event)? = members[name] else { continue }
            if event["userId"] == .string(user) { event["userId"] = nil } else if event["userId"] == nil { event["userId"] = .null }
            members[name] = .object(event)
        }
        if case .object(var waiting)? = members["waiting"], let id = instanceId(instance), let timerId = waiting["timerId"]?.stringValue,
            let journey = instance["journey"]?.stringValue, let step = waiting["step"]?.stringValue,
            let kind = waiting["kind"]?.stringValue.flatMap(JourneyTimerKind.init(rawValue:)),
            timerId == JourneyTimer.instanceTimerId(user: user, journey: journey, instanceId: id, step: step, kind: kind)
        {
            waiting["timerId"] = nil
            members["waiting"] = .object(waiting)
        }
        // The waiting step is the instance's step, and the kind `resume`, unless stored.
        if case .object(var waiting)? = members["waiting"] {
            if waiting["step"] != nil, waiting["step"] == members["step"] { waiting["step"] = nil } else if waiting["step"] == nil { waiting["step"] = .null }
            if waiting["kind"] == .string(JourneyTimerKind.resume.rawValue) { waiting["kind"] = nil } else if waiting["kind"] == nil { waiting["kind"] = .null }
            members["waiting"] = .object(waiting)
        }
        return .object(members)
    }

    private static func expandInstance(_ instance: JSONValue, user: String) -> JSONValue {
        guard case .object(var members) = expandIds(instance) else { return instance }
        if members["version"] == nil { members["version"] = .number(1) } else if members["version"] == .null { members["version"] = nil }
        if case .object(var waiting)? = members["waiting"] {
            if waiting["step"] == nil { waiting["step"] = members["step"] } else if waiting["step"] == .null { waiting["step"] = nil }
            if waiting["kind"] == nil { waiting["kind"] = .string(JourneyTimerKind.resume.rawValue) } else if waiting["kind"] == .null { waiting["kind"] = nil }
            members["waiting"] = .object(waiting)
        }
        for name in ["trigger", "latest"] {
            guard case .object(var event)? = members[name] else { continue }
            if event["userId"] == nil { event["userId"] = .string(user) } else if event["userId"] == .null { event["userId"] = nil }
            members[name] = .object(event)
        }
        if case .object(var waiting)? = members["waiting"], waiting["timerId"] == nil, let id = members["id"]?.stringValue,
            let journey = members["journey"]?.stringValue, let step = waiting["step"]?.stringValue,
            let kind = waiting["kind"]?.stringValue.flatMap(JourneyTimerKind.init(rawValue:))
        {
            waiting["timerId"] = .string(JourneyTimer.instanceTimerId(user: user, journey: journey, instanceId: id, step: step, kind: kind))
            members["waiting"] = .object(waiting)
        }
        return .object(members)
    }

    private static func instanceId(_ object: JSONValue) -> String? { object["id"]?.stringValue ?? object["instanceId"]?.stringValue }

    /// `id` (an instance) or `instanceId` (a watch) of `<journey>-<hash>` stored as `ih`: `<hash>`.
    private static func compactIds(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object, let journey = members["journey"]?.stringValue else { return object }
        for name in ["id", "instanceId"] {
            guard let id = members[name]?.stringValue, id.hasPrefix(journey + "-") else { continue }
            members[name] = nil
            members["ih"] = .string(String(id.dropFirst(journey.count + 1)))
        }
        return .object(members)
    }

    private static func expandIds(_ object: JSONValue) -> JSONValue {
        guard case .object(var members) = object, let journey = members["journey"]?.stringValue, let hash = members["ih"]?.stringValue else {
            return object
        }
        members["ih"] = nil
        // An instance has `id`; a watch, `until`, and `instanceId`.
        members[members["until"] == nil ? "id" : "instanceId"] = .string(journey + "-" + hash)
        return .object(members)
    }
}
