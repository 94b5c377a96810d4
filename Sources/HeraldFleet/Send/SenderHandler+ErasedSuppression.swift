import Foundation
import HeraldCore
import HeraldDelivery

extension SenderHandler {
    /// Adds the suppressions that survived an erasure (`UserErasure`) for each job's address, so a
    /// person who was erased after unsubscribing, and comes back under any user id, stays
    /// unsubscribed. One pipelined `HGETALL` per batch, only for jobs that have an address.
    func loadErasedSuppressions(_ jobs: inout [Job], connection: RedisConnection) async throws {
        let keyspace = configuration.keyspace
        let addressed = jobs.indices.filter { jobs[$0].outcome == nil && jobs[$0].recipient != nil }
        if addressed.isEmpty { return }
        let replies = try await connection.pipeline(addressed.map { index in
            RedisCommand("HGETALL", [keyspace.erasedSuppression(addressHash: AddressHash.of(channel: jobs[index].request.channel, address: jobs[index].recipient ?? ""))])
        })
        for (index, reply) in zip(addressed, replies) {
            if case .error(let message) = reply { throw RedisServerError(command: "HGETALL erased suppression", message: message) }
            for (field, since) in reply.fieldPairs {
                let parts = field.split(separator: "|").map(String.init)
                guard parts.count == 3, let channel = Channel(rawValue: parts[0]), let reason = SuppressionReason(rawValue: parts[2]) else { continue }
                let category = parts[1] == "all" ? nil : MessageCategory(rawValue: parts[1])
                jobs[index].suppression = jobs[index].suppression.applying(.add(SuppressionEntry(
                    channel: channel, address: jobs[index].recipient, category: category, reason: reason,
                    since: since.string.flatMap(ISO8601.parse) ?? Date(timeIntervalSince1970: 0))))
            }
        }
    }
}
