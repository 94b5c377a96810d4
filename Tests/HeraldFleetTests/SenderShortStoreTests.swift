import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import Testing

/// A store that answers one claim fewer than it was asked: the handler must not treat the job left
/// without an answer as claimed.
private struct ShortClaimStore: SenderStore {
    let base: InMemorySenderStore

    func load(_ users: [SenderUser]) async throws -> [SenderUserSnapshot] { try await base.load(users) }
    func loadErasedSuppressions(_ addressHashes: [String]) async throws -> [[(field: String, since: String)]] {
        try await base.loadErasedSuppressions(addressHashes)
    }
    func claim(_ claims: [SenderClaim], consumer: String, policy: IdempotencyPolicy, now: Date) async throws -> [IdempotencyClaimDecision] {
        Array(try await base.claim(claims, consumer: consumer, policy: policy, now: now).dropLast())
    }
    func takeCapSlots(_ slots: [SenderCapSlot], caps: FrequencyCapPolicy, now: Date) async throws -> [FrequencyCapDecision] {
        try await base.takeCapSlots(slots, caps: caps, now: now)
    }
    func acquireRateLimit(_ rateLimit: ChannelRateLimit, count: Int) async throws -> [RateLimitDecision] {
        try await base.acquireRateLimit(rateLimit, count: count)
    }
    func record(_ records: [SenderOutcomeRecord], wakeScheduler: Bool) async throws { try await base.record(records, wakeScheduler: wakeScheduler) }
}

@Suite struct SenderShortStoreTests {
    @Test func aStoreThatAnswersFewerClaimsThanAskedFailsTheBatchAndNothingIsSent() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        sender.addUser("bob")
        let entries = [SenderHarness.request("ann", "k-1"), SenderHarness.request("bob", "k-2")].enumerated().map { index, request in
            StreamEntry(stream: sender.keyspace.outbox(sender.partition(request.userId), .email), id: "1-\(index)", fields: [("request", Array(request.json.serialized().utf8))])
        }
        await #expect(throws: RedisServerError.self) { try await sender.handler().handle(entries, store: ShortClaimStore(base: sender.store)) }
        #expect(sender.provider.delivered.isEmpty, "a job without a claim answer is not sent")
    }
}
