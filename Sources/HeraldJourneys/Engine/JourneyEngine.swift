import Foundation

/// The pure journey engine: (user state, input, now) → (new user state, effects).
///
/// Deterministic: ids and split groups come from stable hashes of the user, instance and step,
/// never from a random generator or the wall clock, so a redelivered input yields the same effects.
public enum JourneyEngine {
    /// Evaluates one input for one user.
    ///
    /// - Parameters:
    ///   - state: the user's stored state (`UserJourneyState(userId:)` when none).
    ///   - input: the event or due timer, with the user's profile after the input is applied.
    ///   - now: the evaluation time (the virtual clock in tests and simulations).
    ///   - catalog: the published journeys; live instances resolve their own (id, version).
    ///   - lists: the lists the user is a member of (`inList` conditions, `updateLists` steps).
    /// - Returns: the state to store and the effects to apply atomically with it.
    ///   - entrySlots: the entry-throttle slots reserved for this input's throttled entries, by
    ///     instance id (`JourneyEvaluation.slotRequests` of an evaluation without them).
    public static func evaluate(
        _ state: UserJourneyState, input: JourneyInput, now: Date, catalog: JourneyCatalog, lists: Set<String> = [],
        entrySlots: [String: Date] = [:]
    ) -> JourneyEvaluation {
        var state = state
        if state.userId.isEmpty { state.userId = input.userId }
        var run = EngineRun(state: state, now: now, catalog: catalog, profile: input.profile, lists: lists)
        run.entrySlots = entrySlots
        switch input {
        case .event(let event, _): run.handle(event: event)
        case .timer(let timer, _): run.handle(timer: timer)
        case .refresh: run.checkAudiences(source: "refresh:\(now.unixMilliseconds)")
        }
        // Action steps changed the profile or the lists: audiences see it as they would an identify.
        if run.profile != input.profile || run.lists != lists {
            let source: String
            switch input {
            case .event(let event, _): source = event.messageId
            case .timer(let timer, _): source = "\(timer.id):\(timer.dueAt.unixMilliseconds)"
            case .refresh: source = "refresh:\(now.unixMilliseconds)"
            }
            run.checkAudiences(source: "actions:" + source)
        }
        var profileChanged = false
        switch input {
        case .event(let event, _): profileChanged = event.type == .identify
        case .refresh: profileChanged = true
        case .timer: break
        }
        run.scheduleDateTriggers(profileChanged: profileChanged)
        run.prune()
        return JourneyEvaluation(state: run.state, effects: run.effects, slotRequests: run.slotRequests)
    }
}
