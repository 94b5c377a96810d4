import HeraldCore

/// Something the evaluator must do in Redis; all effects of one evaluation are applied atomically
/// together with the new state.
public enum JourneyEffect: Sendable, Hashable {
    /// Put the request on its channel's stream.
    case send(SendRequest)
    /// Add or replace (by `id`) the timer in the timer sorted set.
    case scheduleTimer(JourneyTimer)
    /// Remove the timer with this id.
    case cancelTimer(id: String)
    /// Append to the user's trail.
    case trail(TrailEntry)
    /// Increment a counter (`revenue` by a fractional amount).
    case stat(journey: String, step: String?, counter: StatCounter, delta: Double)
    /// Increment a split group's counter (`entered`, `sent`, `converted`, `revenue`) for the
    /// journey's experiment statistics (`heraldctl journeys stats JOURNEY`).
    case groupStat(journey: String, group: String, counter: StatCounter, delta: Double)
    /// Change the user's profile traits (HSET / HDEL / an increment on the profile hash).
    case updateProfile(ProfileUpdate)
    /// Join and leave lists (the user's memberships hash and each list's per-partition index).
    case updateLists(ListUpdate)

    /// The effect as a JSON object with an `effect` member naming its kind.
    public var json: JSONValue {
        switch self {
        case .send(let request): return .object(["effect": "send", "request": request.json])
        case .scheduleTimer(let timer): return .object(["effect": "scheduleTimer", "timer": timer.json])
        case .cancelTimer(let id): return .object(["effect": "cancelTimer", "id": .string(id)])
        case .trail(let entry): return .object(["effect": "trail", "entry": entry.json])
        case .stat(let journey, let step, let counter, let delta):
            var members: [String: JSONValue] = [
                "effect": "stat", "journey": .string(journey), "counter": .string(counter.rawValue), "delta": .number(delta),
            ]
            if let step { members["step"] = .string(step) }
            return .object(members)
        case .groupStat(let journey, let group, let counter, let delta):
            return .object([
                "effect": "groupStat", "journey": .string(journey), "group": .string(group), "counter": .string(counter.rawValue),
                "delta": .number(delta),
            ])
        case .updateProfile(let update): return .object(["effect": "updateProfile", "update": update.json])
        case .updateLists(let update): return .object(["effect": "updateLists", "update": update.json])
        }
    }
}
