import Foundation
import HeraldCore

/// What a condition or a path reads: `event.*`, `properties.*` (of the event), `profile.*`,
/// `latest.*` (latest event of the instance) and `vars.*`, for `count` and `lastSeen` the user's
/// event summary at `now`, and for `inList` the user's lists.
public struct ConditionScope: Sendable {
    /// The trigger event (or the incoming event, for trigger filters) as JSON.
    public var event: JSONValue
    /// The latest event for the instance's key; the trigger event when none is newer.
    public var latest: JSONValue
    /// The user's profile traits.
    public var profile: [String: JSONValue]
    /// The instance's variables.
    public var vars: [String: JSONValue]
    /// Event names seen since entry.
    public var seen: Set<String>
    /// The user's event summary (`UserJourneyState.activity`).
    public var activity: [String: EventActivity]
    /// When the condition is evaluated; `count` and `lastSeen` are false without it.
    public var now: Date?
    /// The lists the user is a member of (`inList`).
    public var lists: Set<String>

    /// Creates a scope.
    public init(
        event: JSONValue, latest: JSONValue? = nil, profile: [String: JSONValue], vars: [String: JSONValue] = [:],
        seen: Set<String> = [], activity: [String: EventActivity] = [:], now: Date? = nil, lists: Set<String> = []
    ) {
        self.event = event
        self.latest = latest ?? event
        self.profile = profile
        self.vars = vars
        self.seen = seen
        self.activity = activity
        self.now = now
        self.lists = lists
    }

    /// The value at a rooted path such as `properties.cart_id` or `profile.timezone`.
    public func resolve(_ path: String) -> JSONValue? {
        let dot = path.firstIndex(of: ".")
        let root = dot.map { String(path[..<$0]) } ?? path
        let rest = dot.map { path[path.index(after: $0)...] }
        let base: JSONValue
        switch root {
        case "event": base = event
        case "latest": base = latest
        case "properties":
            guard let properties = event["properties"] else { return nil }
            base = properties
        case "profile": base = .object(profile)
        case "vars": base = .object(vars)
        default: return nil
        }
        guard let rest else { return base }
        return base.value(atPath: rest)
    }
}
