import Foundation
import HeraldCore

/// One user's run through one journey version.
public struct JourneyInstance: Sendable, Hashable, Codable {
    /// Deterministic id: journey id and a hash of the user and the entering input.
    public var id: String
    /// The journey id.
    public var journey: String
    /// The version entered; the instance finishes on it.
    public var version: Int
    /// The concurrency key value (empty without a key).
    public var key: String
    /// The current step.
    public var step: String
    /// When the user entered.
    public var enteredAt: Date
    /// The trigger event as JSON.
    public var trigger: StoredJSON
    /// The latest event for the instance's key, when newer than the trigger.
    public var latest: StoredJSON?
    /// Variables.
    public var vars: [String: StoredJSON]
    /// The pending timer, while waiting.
    public var waiting: WaitingInfo?
    /// Wait restarts so far.
    public var resets: Int
    /// Sends so far (part of idempotency keys).
    public var sent: Int
    /// The last message sent.
    public var lastSend: SentMessage?
    /// Names of events tested by `happened` conditions seen since entry.
    public var seen: [String]
    /// Whether the goal was reached.
    public var converted: Bool

    /// Creates an instance at its first step.
    public init(id: String, journey: String, version: Int, key: String, step: String, enteredAt: Date, trigger: JSONValue) {
        self.id = id
        self.journey = journey
        self.version = version
        self.key = key
        self.step = step
        self.enteredAt = enteredAt
        self.trigger = StoredJSON(trigger)
        latest = nil
        vars = [:]
        waiting = nil
        resets = 0
        sent = 0
        lastSend = nil
        seen = []
        converted = false
    }

    /// The variables as plain JSON.
    public var variables: [String: JSONValue] { vars.mapValues(\.value) }
}
