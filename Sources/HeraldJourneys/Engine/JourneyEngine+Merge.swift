import Foundation
import HeraldCore

extension JourneyEngine {
    /// Folds another identity's journey state into a user's: the pure half of an identity merge
    /// (an `identify` or `alias` that says `anon:<anonymousId>` is this user; docs/journeys.md,
    /// "Identity merge").
    ///
    /// The rules, each conservative so that a merge never sends more than the two identities would
    /// have sent apart:
    /// - **Live instances** move over with their ids, step, variables, sends so far and pending
    ///   wait; each waiting timer is re-keyed to `target.userId` at its original due time
    ///   (`.scheduleTimer`). Two live instances of one journey for the same concurrency key (under
    ///   `never` and `afterExit`) cannot both run: the one that entered first keeps running (the
    ///   target's on a tie) and the other finishes with reason `merged`. An `always` journey keeps
    ///   both while within its live cap; past it, and past `UserJourneyState.maximumLiveInstances`,
    ///   the newest finish with `merged`.
    /// - **Markers**: the later entry and exit of either, and a fixed moment done on either side
    ///   stays done, so `reentry: never` holds for the person.
    /// - **Counters**: frequency occurrences are united; a milestone reached on either side stays
    ///   reached (no second entry), otherwise the counts add up, below the milestone (the next
    ///   occurrence enters); a trait crossing keeps the higher last value.
    /// - **Journey timers**: an inactivity deadline is the later of the two; a date trigger is the
    ///   target's, else the source's, then rescheduled from the merged `profile`.
    /// - **Goal watches** are united.
    ///
    /// `mergeId` names the handover: a state that folded it before is returned unchanged with no
    /// effects, so a handover delivered twice is folded once.
    ///
    /// - Parameters:
    ///   - target: the known user's state (its `userId` is where everything goes).
    ///   - source: the other identity's state, as it was when its partition handed it over.
    ///   - mergeId: the handover's id.
    ///   - profile: the merged profile (the target's traits, gaps filled from the source's).
    ///   - now: the evaluation time.
    ///   - catalog: the published journeys.
    /// - Returns: the merged state and its effects (timers re-keyed, exits, trail, stats).
    public static func merge(
        _ target: UserJourneyState, absorbing source: UserJourneyState, mergeId: String, profile: [String: JSONValue], now: Date,
        catalog: JourneyCatalog
    ) -> JourneyEvaluation {
        guard !target.merges.contains(mergeId) else { return JourneyEvaluation(state: target, effects: []) }
        var run = EngineRun(state: target, now: now, catalog: catalog, profile: profile)
        run.absorb(source, mergeId: mergeId)
        run.scheduleDateTriggers(profileChanged: true)
        run.prune()
        return JourneyEvaluation(state: run.state, effects: run.effects)
    }
}
