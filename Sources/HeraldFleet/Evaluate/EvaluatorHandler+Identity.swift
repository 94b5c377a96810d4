import Foundation
import HeraldCore
import HeraldDelivery
import HeraldJourneys

/// An identity merge's decisions in the evaluator (docs/journeys.md, "Identity merge"): what a
/// merged identity's input forwards, and what the target's fold unites. The writes themselves are
/// the store's (`RedisEvaluatorStore+Identity`).
extension EvaluatorHandler {
    /// The `handover.lua` call that snapshots and tombstones `user` (whose journey state is
    /// `state`) for `into`, fenced by `leaseValue` and recorded as input `entryID`.
    func handoverCommand(
        partition: Int, user: String, into: String, mergeId: String, state: UserJourneyState, leaseValue: String, entryID: String, now: Date
    ) -> RedisCommand {
        RedisEvaluatorStore.handoverCommand(
            EvaluatorHandover(partition: partition, user: user, into: into, mergeId: mergeId, state: state, entryID: entryID, leaseValue: leaseValue, now: now),
            keyspace: keyspace, appliedRetention: appliedRetention, trailRetention: trailRetention)
    }

    /// What an input of an identity merged into `target` forwards to `target`'s partition, or
    /// `nil` when there is nothing to forward (a timer or refresh: the merge moved the timers and
    /// the target's own inputs refresh it; a handover: merged already).
    func forwarded(_ kind: Input.Kind, to target: String) -> EvaluatorForward? {
        switch kind {
        case .event(let event, let fromHerald):
            return .event(event, fromHerald: fromHerald, target: target)
        case .merge(var snapshot):
            // The target was itself merged on: the snapshot follows it.
            snapshot.into = target
            return .merge(snapshot)
        case .timer, .refresh, .handover:
            return nil
        }
    }

    /// The merged profile: the target's traits, gaps filled from the snapshot's.
    static func mergedProfile(_ profile: [String: JSONValue], _ snapshot: IdentitySnapshot) -> [String: JSONValue] {
        var merged = profile
        for (trait, bytes) in snapshot.profile where merged[trait] == nil {
            if let value = try? JSONValue.parse(bytes) { merged[trait] = value }
        }
        return merged
    }

    /// The snapshot's suppressions added to the target's: every address either identity
    /// suppressed stays suppressed. Throws when the snapshot's record does not read.
    static func mergedSuppressions(_ record: SuppressionRecord, _ snapshot: IdentitySnapshot) throws -> SuppressionRecord {
        guard let bytes = snapshot.suppression else { return record }
        let theirs = try SuppressionRecord(json: try JSONValue.parse(bytes))
        var merged = record
        for entry in theirs.entries
        where !merged.entries.contains(where: { $0.channel == entry.channel && $0.address == entry.address && $0.category == entry.category && $0.reason == entry.reason }) {
            merged.entries.append(entry)
        }
        return merged
    }
}
