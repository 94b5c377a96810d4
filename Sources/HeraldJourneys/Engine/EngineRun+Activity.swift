import Foundation
import HeraldCore

extension EngineRun {
    /// Counts an event in the user's summary when some journey's conditions read its name, so
    /// the conditions this same event leads to see it counted.
    mutating func summarize(name: String, at: Date) {
        guard catalog.summarizedEvents.contains(name) else { return }
        var summary = state.activity[name] ?? EventActivity(last: min(at, now))
        summary.record(at: at, now: now)
        state.activity[name] = summary
    }

    /// Drops the summaries no journey reads any more and the days past the horizon, and keeps at
    /// most `UserJourneyState.maximumSummarizedEvents` names (the most recently seen).
    mutating func pruneActivity() {
        guard !state.activity.isEmpty else { return }
        var kept: [String: EventActivity] = [:]
        for (name, summary) in state.activity where catalog.summarizedEvents.contains(name) {
            var pruned = summary
            pruned.prune(now: now)
            kept[name] = pruned
        }
        if kept.count > UserJourneyState.maximumSummarizedEvents {
            let newest = kept.sorted { ($0.value.last, $1.key) > ($1.value.last, $0.key) }.prefix(UserJourneyState.maximumSummarizedEvents)
            kept = Dictionary(uniqueKeysWithValues: newest.map { ($0.key, $0.value) })
        }
        state.activity = kept
    }

    /// A scope over `event` with the user's profile and event summary at `now`.
    func conditionScope(
        event: JSONValue, latest: JSONValue? = nil, vars: [String: JSONValue] = [:], seen: Set<String> = []
    ) -> ConditionScope {
        ConditionScope(event: event, latest: latest, profile: profile, vars: vars, seen: seen, activity: state.activity, now: now, lists: lists)
    }
}
