import Foundation
import HeraldCore

/// A timer for the scheduler's sorted set. Its `id` is deterministic, so scheduling the same timer
/// again replaces it (an upsert keyed by `id`), and the engine ignores a timer whose due time no
/// longer matches its state (stale).
public struct JourneyTimer: Sendable, Hashable, Codable {
    /// `user|journey-or-instance|step|kind`; the member in the sorted set.
    public var id: String
    /// The user (their `userKey`).
    public var userId: String
    /// The journey id.
    public var journey: String
    /// The journey version the instance runs on (the latest version for journey-level timers).
    public var version: Int
    /// The instance, for `resume` and `timeout`.
    public var instanceId: String?
    /// The step, for `resume` and `timeout`.
    public var step: String?
    /// What it resumes.
    public var kind: JourneyTimerKind
    /// When it is due (whole milliseconds); the sorted-set score.
    public var dueAt: Date

    /// Creates a timer.
    public init(
        id: String, userId: String, journey: String, version: Int, instanceId: String? = nil, step: String? = nil,
        kind: JourneyTimerKind, dueAt: Date
    ) {
        self.id = id
        self.userId = userId
        self.journey = journey
        self.version = version
        self.instanceId = instanceId
        self.step = step
        self.kind = kind
        self.dueAt = dueAt
    }

    /// The timer as a JSON object (dates in ISO 8601 with milliseconds).
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "userId": .string(userId), "journey": .string(journey),
            "version": .number(Double(version)), "kind": .string(kind.rawValue), "dueAt": .string(ISO8601.format(dueAt)),
        ]
        if let instanceId { members["instanceId"] = .string(instanceId) }
        if let step { members["step"] = .string(step) }
        return .object(members)
    }

    /// Reads a timer back from `json`; `nil` when a member is missing or invalid.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let userId = json["userId"]?.stringValue,
            let journey = json["journey"]?.stringValue, let kindText = json["kind"]?.stringValue,
            let kind = JourneyTimerKind(rawValue: kindText), let dueText = json["dueAt"]?.stringValue,
            let dueAt = ISO8601.parse(dueText)
        else { return nil }
        self.init(
            id: id, userId: userId, journey: journey, version: Int(json["version"]?.numberValue ?? 1),
            instanceId: json["instanceId"]?.stringValue, step: json["step"]?.stringValue, kind: kind, dueAt: dueAt)
    }
}
