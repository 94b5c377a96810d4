import Foundation
import HeraldCore
import HeraldJourneys

/// The writes of the action steps' effects, added to one input's `apply-effects.lua` call so they
/// are applied atomically with its state, timers, sends and trail. Every key is the user's
/// partition's: the profile hash, the user's memberships hash, and each list's key in that partition.
struct ActionEffectWriter: Sendable {
    let keyspace: Keyspace

    /// Adds the writes of `.updateProfile` and `.updateLists`; other effects add nothing.
    func apply(_ effect: JourneyEffect, partition: Int, user: String, now: Date, to operations: inout AtomicOperations) {
        switch effect {
        case .updateProfile(let update):
            let profile = keyspace.profile(partition, user: user)
            // Values as the ingestor writes traits: the JSON text of each.
            for name in update.set.keys.sorted() { operations.hset(profile, field: name, value: (update.set[name] ?? .null).serialized()) }
            for name in update.unset { operations.hdel(profile, field: name) }
            // Read and added inside the script, so an identify accepted since the profile was loaded is not overwritten.
            for name in update.increment.keys.sorted() { operations.hincrJSON(profile, field: name, by: update.increment[name] ?? 0) }
        case .updateLists(let update):
            let milliseconds = now.unixMilliseconds
            let memberships = keyspace.memberships(partition, user: user)
            for name in update.add {
                operations.hsetnx(memberships, field: name, value: milliseconds)
                operations.zaddNX(keyspace.listMembers(partition, list: name), score: milliseconds, member: user)
            }
            for name in update.remove {
                operations.hdel(memberships, field: name)
                operations.zrem(keyspace.listMembers(partition, list: name), member: user)
            }
        case .send, .scheduleTimer, .cancelTimer, .trail, .stat, .groupStat:
            break
        }
    }

    /// A user's lists from an `HKEYS` reply of their memberships hash (none for a missing key).
    static func lists(from reply: RESPValue) -> Set<String> {
        Set((reply.array ?? []).compactMap(\.string))
    }
}
