import HeraldCore

/// One thing that happened to a user: an event from the ingestor or a due timer from the scheduler.
///
/// `profile` is the user's profile after this input is applied (the evaluator merges identify
/// traits before calling the engine).
public enum JourneyInput: Sendable {
    /// An event and the user's profile.
    case event(Event, profile: [String: JSONValue])
    /// A due timer and the user's profile.
    case timer(JourneyTimer, profile: [String: JSONValue])
    /// Nothing happened; the journeys changed (a date-triggered journey was published), so the
    /// user's date triggers are scheduled from the current profile.
    case refresh(userId: String, profile: [String: JSONValue])

    /// The profile carried by the input.
    public var profile: [String: JSONValue] {
        switch self {
        case .event(_, let profile), .timer(_, let profile), .refresh(_, let profile): return profile
        }
    }

    /// The user the input is for.
    public var userId: String {
        switch self {
        case .event(let event, _): return event.userKey
        case .timer(let timer, _): return timer.userId
        case .refresh(let userId, _): return userId
        }
    }
}
