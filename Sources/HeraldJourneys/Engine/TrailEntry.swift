import Foundation
import HeraldCore

/// One line of a user's journey history, for support and debugging.
public struct TrailEntry: Sendable, Hashable {
    /// The user.
    public var userId: String
    /// When it happened (the engine's `now`).
    public var at: Date
    /// The journey id.
    public var journey: String
    /// The journey version.
    public var version: Int
    /// The instance, when there is one.
    public var instanceId: String?
    /// The step, when there is one.
    public var step: String?
    /// What happened.
    public var kind: TrailKind
    /// A sentence for people.
    public var message: String

    /// Creates an entry.
    public init(
        userId: String, at: Date, journey: String, version: Int, instanceId: String?, step: String?, kind: TrailKind,
        message: String
    ) {
        self.userId = userId
        self.at = at
        self.journey = journey
        self.version = version
        self.instanceId = instanceId
        self.step = step
        self.kind = kind
        self.message = message
    }

    /// The entry as a JSON object: the fields, `kind` as its code and the kind's details.
    public var json: JSONValue {
        var members = kind.details
        members["userId"] = .string(userId)
        members["at"] = .string(ISO8601.format(at))
        members["journey"] = .string(journey)
        members["version"] = .number(Double(version))
        members["kind"] = .string(kind.code)
        members["message"] = .string(message)
        if let instanceId { members["instanceId"] = .string(instanceId) }
        if let step { members["step"] = .string(step) }
        return .object(members)
    }
}
