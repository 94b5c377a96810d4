import Foundation
import HeraldCore
import HeraldDelivery

extension SenderHandler {
    /// Adds the suppressions that survived an erasure (`UserErasure`) for each job's address, so a
    /// person who was erased after unsubscribing, and comes back under any user id, stays
    /// unsubscribed. One store round trip per batch, only for jobs that have an address.
    func loadErasedSuppressions(_ jobs: inout [Job], store: any SenderStore) async throws {
        let addressed = jobs.indices.filter { jobs[$0].isOpen && jobs[$0].recipient != nil }
        if addressed.isEmpty { return }
        let found = try Self.answers(try await store.loadErasedSuppressions(addressed.map { index in
            AddressHash.of(channel: jobs[index].request.channel, address: jobs[index].recipient ?? "")
        }), asked: addressed.count, phase: "erased suppressions")
        for (index, fields) in zip(addressed, found) {
            for (field, since) in fields {
                let parts = field.split(separator: "|").map(String.init)
                guard parts.count == 3, let channel = Channel(rawValue: parts[0]), let reason = SuppressionReason(rawValue: parts[2]) else { continue }
                let category = parts[1] == "all" ? nil : MessageCategory(rawValue: parts[1])
                jobs[index].suppression = jobs[index].suppression.applying(.add(SuppressionEntry(
                    channel: channel, address: jobs[index].recipient, category: category, reason: reason,
                    since: ISO8601.parse(since) ?? Date(timeIntervalSince1970: 0))))
            }
        }
    }
}
