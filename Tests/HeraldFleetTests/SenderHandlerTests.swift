import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import Testing

/// `SenderHandler`'s rules on an `InMemorySenderStore` with a recording provider: at most one
/// provider call per idempotency key, refusals recorded with their reasons, and unreadable data
/// never sent.
@Suite struct SenderHandlerTests {
    @Test func aSendIsDeliveredOnceAndRecordedAsSentInOneRoundTripPerPhase() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        let outcomes = try await sender.handle([SenderHarness.request("ann", "k-1")], with: sender.handler())
        #expect(outcomes == [.done])
        #expect(sender.provider.delivered.map(\.recipient) == ["ann@example.com"])
        #expect(sender.provider.delivered.first?.subject == "Welcome, Ann")
        let record = try #require(sender.records("k-1").first)
        #expect(record.delivery?.status == .sent)
        #expect(SenderHarness.field(record, "providerMessageId") == "rec-1")
        #expect(record.trail.map(\.code) == ["sent"])
        #expect(sender.store.marker(partition: sender.partition("ann"), idempotencyKey: "k-1") == "sent:rec-1")
        #expect(sender.store.calls == ["load", "loadErasedSuppressions", "claim", "record"])
    }

    @Test func aRedeliveryAfterARecordedOutcomeDoesNotCallTheProviderAgain() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        let request = SenderHarness.request("ann", "k-1")
        _ = try await sender.handle([request], with: sender.handler())
        // Another process (it remembers nothing) gets the same entry again: the `sent:` key stops it.
        let again = try await sender.handle([request], with: sender.handler())
        #expect(again == [.done])
        #expect(sender.provider.delivered.count == 1)
        let records = sender.records("k-1")
        #expect(records.map { $0.delivery?.status } == [.sent, .duplicate])
        #expect(SenderHarness.field(records.last, "providerMessageId") == "rec-1")
        #expect(records.last?.keyChange == nil, "the key already says sent")
    }

    @Test func theSameProcessRemembersASendWhoseMarkerWasLostAndRestoresIt() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        let handler = sender.handler()
        let request = SenderHarness.request("ann", "k-1")
        _ = try await sender.handle([request], with: handler)
        // Redis lost the key (a failover): this loop still knows the provider accepted it.
        sender.store.setMarker("claimed:1:0:someone-else", partition: sender.partition("ann"), idempotencyKey: "k-1", retention: 0)
        _ = try await sender.handle([request], with: handler)
        #expect(sender.provider.delivered.count == 1)
        #expect(sender.records("k-1").last?.delivery?.status == .duplicate)
        #expect(sender.store.marker(partition: sender.partition("ann"), idempotencyKey: "k-1") == "sent:rec-1")
    }

    @Test func aClaimWhoseHolderStoppedIsParkedForMarketingAndNotSentOnItsRedelivery() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        let claimedAt = Date().addingTimeInterval(-600)
        let dead = IdempotencyMarker.claimed(at: claimedAt, attempt: 0, consumer: "host-dead:email-sender:0").encoded
        for key in ["m-1", "t-1"] {
            sender.store.setMarker(dead, partition: sender.partition("ann"), idempotencyKey: key, retention: 1200, now: claimedAt)
        }
        let marketing = SenderHarness.request("ann", "m-1", category: .marketing)
        let outcomes = try await sender.handle([marketing, SenderHarness.request("ann", "t-1")], with: sender.handler())
        #expect(outcomes == [.done, .done])
        #expect(sender.provider.delivered.map(\.idempotencyKey) == ["t-1"], "transactional is resent; marketing is not")
        let parked = try #require(sender.records("m-1").first)
        #expect(parked.delivery?.status == .unknown)
        #expect(SenderHarness.field(parked, "previousConsumer") == "host-dead:email-sender:0")
        #expect(sender.store.marker(partition: sender.partition("ann"), idempotencyKey: "m-1")?.hasPrefix("unknown:") == true)
        #expect(sender.records("t-1").first?.delivery?.status == .sent)

        // Its redelivery finds it parked: not sent, not recorded twice, until an operator replays it.
        let redelivered = try await sender.handle([marketing], with: sender.handler())
        #expect(redelivered == [.done])
        #expect(sender.provider.delivered.count == 1)
        #expect(sender.records("m-1").count == 1)
        #expect(sender.store.replay(partition: sender.partition("ann"), idempotencyKey: "m-1"))
        _ = try await sender.handle([marketing], with: sender.handler())
        #expect(sender.provider.delivered.map(\.idempotencyKey) == ["t-1", "m-1"])
    }

    @Test func aLiveClaimOfAnotherSenderIsWaitedOnWithoutARecord() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        let live = IdempotencyMarker.claimed(at: Date(), attempt: 0, consumer: "host-b:email-sender:0").encoded
        sender.store.setMarker(live, partition: sender.partition("ann"), idempotencyKey: "k-1", retention: 120)
        let outcomes = try await sender.handle([SenderHarness.request("ann", "k-1")], with: sender.handler())
        guard case .wait(let reason, let retryAfter)? = outcomes.first else {
            Issue.record("expected to wait, got \(outcomes)")
            return
        }
        #expect(reason.contains("host-b:email-sender:0"))
        #expect(retryAfter > 50_000 && retryAfter <= 60_000, "until the holder's lease ends: \(retryAfter) ms")
        #expect(sender.provider.delivered.isEmpty)
        #expect(sender.records("k-1").isEmpty)
    }

    @Test func aSuppressedAddressIsRecordedWithItsReasonAndNeverClaimed() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        sender.store.setSuppression(SuppressionRecord(entries: [
            SuppressionEntry(channel: .email, address: "ann@example.com", reason: .hardBounce, since: Date().addingTimeInterval(-3600)),
        ]), user: "ann")
        let outcomes = try await sender.handle([SenderHarness.request("ann", "k-1")], with: sender.handler())
        #expect(outcomes == [.done])
        #expect(sender.provider.delivered.isEmpty)
        let record = try #require(sender.records("k-1").first)
        #expect(record.delivery?.status == .suppressed)
        #expect(SenderHarness.field(record, "reason") == "hard_bounce")
        #expect(record.trail.first == .init(code: "suppressed", details: ["hard_bounce"]))
        #expect(sender.store.marker(partition: sender.partition("ann"), idempotencyKey: "k-1") == nil)
        #expect(!sender.store.calls.contains("claim"), "nothing to claim")
    }

    @Test func aCapRefusalIsRecordedWithItsReasonAndGivesItsClaimBack() async throws {
        let sender = try SenderHarness(caps: "email=1/1d")
        sender.addUser("ann")
        _ = try await sender.handle([SenderHarness.request("ann", "m-1", category: .marketing)], with: sender.handler())
        let outcomes = try await sender.handle([SenderHarness.request("ann", "m-2", category: .marketing)], with: sender.handler())
        #expect(outcomes == [.done])
        #expect(sender.provider.delivered.map(\.idempotencyKey) == ["m-1"])
        let refused = try #require(sender.records("m-2").first)
        #expect(refused.delivery?.status == .suppressed)
        #expect(SenderHarness.field(refused, "reason") == "frequency_cap")
        #expect(refused.keyChange == .release(consumer: SenderHarness.consumer))
        #expect(sender.store.marker(partition: sender.partition("ann"), idempotencyKey: "m-2") == nil, "the claim was given back")
        #expect(Set(sender.store.capWindow(partition: sender.partition("ann"), user: "ann", channel: .email).keys) == ["m-1"])
    }

    @Test func anUnreadableSuppressionRecordIsNotSent() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        sender.store.setStoredSuppression(Array(#"{"entries":[{"channel":"fax"}]}"#.utf8), user: "ann")
        let outcomes = try await sender.handle([SenderHarness.request("ann", "k-1")], with: sender.handler())
        #expect(outcomes == [.done])
        #expect(sender.provider.delivered.isEmpty)
        let record = try #require(sender.records("k-1").first)
        #expect(record.delivery?.status == .suppressed)
        #expect(SenderHarness.field(record, "reason") == "unreadable_suppression_record")
    }

    @Test func anUnreadableIdempotencyMarkerIsRefusedDeadLetteredAndLeftAsItIs() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        sender.store.setMarker("claimed:+5:0:who", partition: sender.partition("ann"), idempotencyKey: "k-1", retention: 600)
        let outcomes = try await sender.handle([SenderHarness.request("ann", "k-1")], with: sender.handler())
        #expect(outcomes == [.done])
        #expect(sender.provider.delivered.isEmpty)
        let record = try #require(sender.records("k-1").first)
        #expect(record.delivery?.status == .failed)
        #expect(SenderHarness.field(record, "reason")?.contains("unreadable") == true)
        #expect(record.deadLetter?.stream == sender.keyspace.outbox(sender.partition("ann"), .email))
        #expect(sender.store.marker(partition: sender.partition("ann"), idempotencyKey: "k-1") == "claimed:+5:0:who")
    }

    @Test func aRetryableFailureGivesTheClaimBackAndSchedulesTheNextAttempt() async throws {
        let sender = try SenderHarness()
        sender.addUser("ann")
        sender.provider.failNext(with: .retryable(reason: "421 try later"))
        let outcomes = try await sender.handle([SenderHarness.request("ann", "k-1")], with: sender.handler())
        #expect(outcomes == [.done])
        #expect(sender.provider.delivered.count == 1)
        let record = try #require(sender.records("k-1").first)
        #expect(record.delivery?.status == .retrying)
        #expect(record.scheduled?.request.attempt == 1)
        #expect(record.scheduled.map { $0.at > record.at } == true)
        #expect(sender.store.marker(partition: sender.partition("ann"), idempotencyKey: "k-1") == nil, "the retry may claim it at once")
    }
}
