import Foundation
import HeraldCore
import HeraldJourneys

/// Reserves the slots of an input's throttled entries (`JourneyEvaluation.slotRequests`) in each
/// journey's throttle key, one `entry-throttle.lua` call per entry, pipelined. The evaluator does
/// this before the partition's apply: each key has its own hash tag, so the two never share a
/// script. A reservation is keyed by the entry's instance id, which the engine derives from the
/// user, the journey and the trigger, so a redelivered input gets the slot it reserved before.
struct EntryThrottleReservations: Sendable {
    let keyspace: Keyspace

    /// The slots by instance id, as dates.
    func reserve(_ requests: [EntrySlotRequest], now: Date, connection: RedisConnection) async throws -> [String: Date] {
        let nowMilliseconds = now.unixMilliseconds
        let calls: [([RedisKey], [any RedisArgument])] = requests.map { request in
            let retention = max(request.windowMilliseconds, EntryThrottleLog.minimumRetentionMilliseconds)
            return (
                [keyspace.entryThrottle(journey: request.journey)],
                [nowMilliseconds, request.instanceId, request.count, request.windowMilliseconds, retention]
            )
        }
        let replies = try await connection.evaluateMany(HeraldScripts.entryThrottle, calls: calls)
        var slots: [String: Date] = [:]
        for (request, reply) in zip(requests, replies) {
            guard let slot = reply.int else {
                if case .error(let message) = reply { throw RedisServerError(command: "EVALSHA entry-throttle", message: message) }
                throw RedisServerError(command: "EVALSHA entry-throttle", message: "unexpected reply for \(request.journey)")
            }
            slots[request.instanceId] = Date(unixMilliseconds: slot)
        }
        return slots
    }
}
