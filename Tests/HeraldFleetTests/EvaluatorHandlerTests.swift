import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldJourneys
import Testing

/// The evaluator handler's decisions against `InMemoryEvaluatorStore`, with no Redis: what an
/// input starts, sends, schedules and ends, what is skipped, refused or retried, and why.
@Suite struct EvaluatorHandlerTests {
    static let welcome = #"""
        {"id": "welcome", "trigger": {"behaviour": {"event": "Signed Up"}},
         "steps": [{"id": "hello", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}]}
        """#
    static let cart = #"""
        {"id": "cart", "trigger": {"behaviour": {"event": "Cart Updated"}},
         "exit": {"on": [{"event": "Cart Emptied"}]},
         "goal": {"event": "Order Completed", "within": "7d", "revenue": "properties.total"},
         "steps": [{"id": "wait-1d", "wait": {"duration": "1d"}},
                   {"id": "reminder", "send": {"channel": "email", "template": "cart", "category": "marketing"}}]}
        """#

    @Test func aTriggerStartsAnInstanceAndRequestsItsSend() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.welcome])
        let entry = try bed.track("ann", "Signed Up", messageId: "m-1", 1)
        #expect(try await bed.handler.handle([entry], store: bed.store) == [.done])
        let contents = bed.store.contents
        #expect(contents.sends.map(\.userId) == ["ann"], "one send for ann")
        #expect(contents.sends.first?.channel == .email)
        #expect(contents.applied[0]?[entry.id] != nil, "the input is recorded as applied")
        #expect(contents.journeyStats["welcome"]?.contains { $0.key.hasSuffix(":entered") && $0.value == 1 } == true, "\(contents.journeyStats)")
        #expect(contents.trails["ann"]?.count == 1, "one trail entry for the input")
        #expect(contents.trails["ann"]?.first?.contains { $0.code == "entered" } == true, "\(contents.trails)")
    }

    @Test func aRedeliveredEntryIsNotAppliedTwice() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.welcome])
        let first = try bed.track("ann", "Signed Up", messageId: "m-1", 1)
        #expect(try await bed.handler.handle([first], store: bed.store) == [.done])
        let stateAfterFirst = bed.store.contents.states["ann"]
        // Redelivered with a new input of another user: the first is acknowledged, not evaluated again.
        let second = try bed.track("bob", "Signed Up", messageId: "m-2", 2)
        #expect(try await bed.handler.handle([first, second], store: bed.store) == [.done, .done])
        let contents = bed.store.contents
        #expect(contents.sends.map(\.userId) == ["ann", "bob"], "ann's send is requested once")
        #expect(contents.states["ann"] == stateAfterFirst)
        #expect(contents.trails["ann"]?.count == 1)
    }

    @Test func aRedeliveredInputInABatchWithANewOneIsNotCountedTwice() async throws {
        let bed = try EvaluatorTestBed(journeys: [#"""
            {"id": "second-order", "trigger": {"milestone": {"event": "Order Completed", "count": 2}},
             "steps": [{"id": "thanks", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}]}
            """#])
        let orders = [try bed.track("max", "Order Completed", messageId: "o-1", 1), try bed.track("max", "Order Completed", messageId: "o-2", 2)]
        #expect(try await bed.handler.handle([orders[0]], store: bed.store) == [.done])
        // The first order is delivered again with the second: counting it twice would make the second the third.
        #expect(try await bed.handler.handle(orders, store: bed.store) == [.done, .done])
        let sends = bed.store.contents.sends
        #expect(sends.count == 1, "the second order is the milestone, once")
        #expect(sends.first?.context["event"]?["messageId"] == "o-2")
    }

    @Test func aWaitSchedulesATimerWhoseFiringSends() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.cart])
        #expect(try await bed.handler.handle([try bed.track("cy", "Cart Updated", messageId: "c-1", 1)], store: bed.store) == [.done])
        let timers = Array(bed.store.contents.timers.values)
        #expect(timers.count == 1 && bed.store.contents.sends.isEmpty, "waiting a day, nothing sent yet")
        let timer = try #require(timers.first)
        #expect(timer.userId == "cy" && timer.dueAt.timeIntervalSinceNow > 23 * 3600)
        #expect(bed.store.contents.wakeups == 0, "a timer due in a day does not wake the scheduler")
        let fired = bed.entry(
            .timer(id: timer.id, dueAtMilliseconds: nil, firedAtMilliseconds: nil, payload: timer.json), user: "cy", 2)
        #expect(try await bed.handler.handle([fired], store: bed.store) == [.done])
        #expect(bed.store.contents.sends.map(\.userId) == ["cy"], "the reminder is sent when the wait ends")
    }

    @Test func anExitEventEndsTheInstanceAndCancelsItsTimer() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.cart])
        let batch = [try bed.track("di", "Cart Updated", messageId: "c-1", 1), try bed.track("di", "Cart Emptied", messageId: "c-2", 2)]
        // Both in one batch: the exit sees the instance the trigger started in the same batch.
        #expect(try await bed.handler.handle(batch, store: bed.store) == [.done, .done])
        let contents = bed.store.contents
        #expect(contents.timers.isEmpty, "the wait's timer is cancelled")
        #expect(contents.sends.isEmpty)
        #expect(try bed.state(of: "di").instances.isEmpty, "no live instance")
        #expect(contents.journeyStats["cart"]?.contains { $0.key.hasSuffix(":exited") && $0.value == 1 } == true, "\(contents.journeyStats)")
    }

    @Test func aGoalEventConvertsWithItsRevenue() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.cart])
        #expect(try await bed.handler.handle([try bed.track("eve", "Cart Updated", messageId: "c-1", 1)], store: bed.store) == [.done])
        let order = try bed.track("eve", "Order Completed", messageId: "o-1", properties: ["total": 42.5], 2)
        #expect(try await bed.handler.handle([order], store: bed.store) == [.done])
        let stats = bed.store.contents.journeyStats["cart"] ?? [:]
        #expect(stats.contains { $0.key.hasSuffix(":converted") && $0.value == 1 }, "\(stats)")
        #expect(stats.contains { $0.key.hasSuffix(":revenue") && $0.value == 42.5 }, "\(stats)")
    }

    @Test func anUnreadableStateIsRefusedAndLeftAsItIs() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.welcome])
        let corrupt: [UInt8] = Array("not a journey state".utf8)
        bed.store.update { $0.states["fay"] = .encoded(corrupt) }
        let batch = [try bed.track("fay", "Signed Up", messageId: "m-1", 1), try bed.track("gus", "Signed Up", messageId: "m-2", 2)]
        let outcomes = try await bed.handler.handle(batch, store: bed.store)
        guard case .deadLetter(let reason) = outcomes.first else {
            Issue.record("fay's input was not refused: \(outcomes)")
            return
        }
        #expect(reason.contains("journey state of user 'fay' in partition 0 cannot be decoded"), "\(reason)")
        #expect(outcomes.last == .done, "another user's input goes on")
        let contents = bed.store.contents
        #expect(contents.states["fay"] == .encoded(corrupt), "the stored bytes are unchanged")
        #expect(contents.sends.map(\.userId) == ["gus"])
        #expect(contents.applied[0]?[batch[0].id] == nil, "the refused input is not recorded as applied")
    }

    @Test func anUnreadableSuppressionRecordRefusesTheFeedbackThatChangesIt() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.welcome])
        bed.store.update { $0.suppressions["hal"] = .unreadable("suppression entry 0 has a missing or invalid 'since'") }
        let unsubscribe = try bed.track("hal", "Unsubscribed", messageId: "u-1", properties: ["channel": "email"], 1)
        let outcomes = try await bed.handler.handle([unsubscribe], store: bed.store)
        guard case .deadLetter(let reason) = outcomes.first else {
            Issue.record("the unsubscribe was applied over an unreadable record: \(outcomes)")
            return
        }
        #expect(reason.contains("suppression record of user 'hal'") && reason.contains("'Unsubscribed' was not applied"), "\(reason)")
        #expect(bed.store.contents.suppressions["hal"] == .unreadable("suppression entry 0 has a missing or invalid 'since'"))

        // With a readable record the same unsubscribe is stored.
        bed.store.update { $0.suppressions["hal"] = nil }
        #expect(try await bed.handler.handle([unsubscribe], store: bed.store) == [.done])
        guard case .record(let record)? = bed.store.contents.suppressions["hal"] else {
            Issue.record("no suppression record stored")
            return
        }
        #expect(record.entries.map(\.channel) == [.email] && record.entries.map(\.reason) == [.unsubscribed], "\(record)")
    }

    @Test func malformedEntriesAreRefusedWithTheirReasons() async throws {
        let bed = try EvaluatorTestBed(partitions: 2, journeys: [Self.welcome])
        let user = "ivy"
        let own = bed.keyspace.partition(ofUser: user)
        let other = own == 0 ? 1 : 0
        let notAnInput = StreamEntry(stream: bed.keyspace.events(own), id: "1-0", fields: [("kind", Array("sideways".utf8))])
        let elsewhere = StreamEntry(stream: RedisKey("herald:somewhere"), id: "2-0", fields: [("kind", Array("refresh".utf8))])
        let wrongPartition = bed.entry(.refresh(user: user), stream: bed.keyspace.events(other), 3)
        let outcomes = try await bed.handler.handle([notAnInput, elsewhere, wrongPartition], store: bed.store)
        #expect(outcomes.count == 3)
        var reasons: [String] = []
        for outcome in outcomes {
            guard case .deadLetter(let reason) = outcome else {
                Issue.record("not refused: \(outcome)")
                continue
            }
            reasons.append(reason)
        }
        #expect(reasons.count == 3)
        #expect(reasons.dropFirst().first == "not a partition events stream: herald:somewhere")
        #expect(reasons.last == "input for user 'ivy' on partition \(other), but the user belongs to partition \(own)")
        #expect(bed.store.contents.applied.isEmpty && bed.store.contents.applyCalls == 0, "nothing written")
    }

    @Test func aFencedWriteIsRetriedAndWritesNothing() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.welcome])
        // The lease moved to another evaluator after this one last renewed it.
        bed.store.update { $0.leases[0] = "other-evaluator:7" }
        let entry = try bed.track("jo", "Signed Up", messageId: "m-1", 1)
        let outcomes = try await bed.handler.handle([entry], store: bed.store)
        guard case .retry(let reason) = outcomes.first else {
            Issue.record("a fenced write was not retried: \(outcomes)")
            return
        }
        #expect(reason.hasPrefix("FENCED"), "\(reason)")
        #expect(bed.store.contents.sends.isEmpty && bed.store.contents.states["jo"] == nil && bed.store.contents.applied[0]?[entry.id] == nil)
        // Back with this evaluator, the retried input applies from the same state.
        bed.store.update { $0.leases[0] = EvaluatorTestBed.lease }
        #expect(try await bed.handler.handle([entry], store: bed.store) == [.done])
        #expect(bed.store.contents.sends.map(\.userId) == ["jo"])
    }

    @Test func anInputOfAPartitionNotLeasedHereIsRetried() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.welcome], leased: false)
        let outcomes = try await bed.handler.handle([try bed.track("kim", "Signed Up", messageId: "m-1", 1)], store: bed.store)
        #expect(outcomes == [.retry(reason: "partition 0 is not leased by this evaluator")])
        #expect(bed.store.contents.applyCalls == 0)
    }

    @Test func anErasureForgetsTheUserAndKeepsTheirSuppressions() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.cart])
        #expect(try await bed.handler.handle([try bed.track("lea", "Cart Updated", messageId: "c-1", 1)], store: bed.store) == [.done])
        bed.store.update {
            $0.profiles["lea"] = ["email": "lea@example.com"]
            $0.suppressions["lea"] = .record(SuppressionRecord(entries: [
                SuppressionEntry(channel: .email, address: nil, category: nil, reason: .unsubscribed, since: Date()),
            ]))
        }
        let forget = try bed.track("lea", UserErasure.eventName, messageId: "f-1", properties: ["requestedBy": "privacy@example.com"], 2)
        // An input after it in the same batch starts from nothing.
        let after = try bed.track("lea", "Cart Updated", messageId: "c-2", 3)
        #expect(try await bed.handler.handle([forget, after], store: bed.store) == [.done, .done])
        let contents = bed.store.contents
        #expect(contents.profiles["lea"] == nil)
        #expect(contents.erasureRecords.map(\.requestedBy) == ["privacy@example.com"])
        let erased = try #require(contents.erasureRecords.first?.erased)
        #expect(erased["profile"] == 1 && erased["state"] == 1 && erased["timers"] == 1, "\(erased)")
        #expect(contents.erasedSuppressions.count == 1, "the unsubscribe survives, keyed by the address's hash")
        #expect(try bed.state(of: "lea").instances.count == 1, "the later trigger entered afresh")
    }

    @Test func aThrottledJourneyEntersOnlyItsCountAndQueuesTheRest() async throws {
        let bed = try EvaluatorTestBed(journeys: [#"""
            {"id": "launch", "trigger": {"behaviour": {"event": "Signed Up"}},
             "entry": {"throttle": {"count": 1, "per": "1m"}},
             "steps": [{"id": "hello", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}]}
            """#])
        let batch = try ["nia", "oli", "pam"].enumerated().map { try bed.track($1, "Signed Up", messageId: "s-\($0)", $0 + 1) }
        #expect(try await bed.handler.handle(batch, store: bed.store) == [.done, .done, .done])
        let contents = bed.store.contents
        #expect(contents.sends.map(\.userId) == ["nia"], "one entry in the window, the first")
        #expect(contents.throttles["launch"]?.slots.count == 3, "every trigger holds a slot")
        for user in ["oli", "pam"] {
            #expect(try bed.state(of: user).instances.count == 1, "\(user)'s entry is queued in their state, not dropped")
        }
    }

    @Test func aMergedIdentitysInputsAreForwardedToTheTarget() async throws {
        let bed = try EvaluatorTestBed(journeys: [Self.welcome])
        let mergeId = "login/quinn-old"
        let handover = bed.entry(.handover(user: "quinn-old", into: "quinn", mergeId: mergeId), user: "quinn-old", 1)
        let later = try bed.track("quinn-old", "Signed Up", messageId: "m-1", 2)
        let refresh = bed.entry(.refresh(user: "quinn-old"), user: "quinn-old", 3)
        // The handover and the inputs after it in one batch: they follow it to the target.
        #expect(try await bed.handler.handle([handover, later, refresh], store: bed.store) == [.done, .done, .done])
        let contents = bed.store.contents
        #expect(contents.mergedInto["quinn-old"] == "quinn")
        #expect(contents.deliveredMerges.map(\.mergeId) == [mergeId], "the snapshot is delivered to the target")
        #expect(contents.handovers.isEmpty)
        #expect(contents.forwarded.count == 1, "the event is forwarded, the refresh is not")
        guard case .event(let event, let fromHerald, let target)? = contents.forwarded.first else {
            Issue.record("no event forwarded: \(contents.forwarded)")
            return
        }
        #expect(event.messageId == "m-1" && !fromHerald && target == "quinn")
        #expect(contents.sends.isEmpty, "nothing is evaluated for the merged identity")
    }
}
