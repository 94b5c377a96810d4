import Foundation
import HeraldCore
import HeraldJourneys
import Testing

@testable import HeraldFleet

/// Each step of an identity merge's hand-over retried (docs/journeys.md, "Identity merge"): asked
/// twice, the snapshot taken and the evaluator gone before delivering it, the handover and the
/// merge redelivered, and the merge delivered twice. The user ends with everything of the visitor,
/// folded once.
@Suite struct IdentityHandoverTests {
    func entries(_ connection: RedisConnection, _ stream: RedisKey) async throws -> [StreamEntry] {
        RedisConnection.parseEntries(try await connection.send("XRANGE", stream, "-", "+").array ?? [], stream: stream)
    }

    @Test func everyStepRetriedMovesEveryKeyFamilyOnce() async throws {
        let fleet = try FleetHarness(partitions: 4, journeys: [IdentityMergeFleetTests.cart])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        let keyspace = fleet.keyspace
        let handler = try await fleet.evaluatorHandler(connection)
        let user = "u-fold"
        let up = keyspace.partition(ofUser: user)
        let visitor = try #require((0..<500).map { "v-\($0)" }.first { keyspace.partition(ofUser: "anon:" + $0) != up })
        let anon = "anon:" + visitor
        let ap = keyspace.partition(ofUser: anon)
        let now = Date()
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)

        // The visitor's and the user's data, as the fleet stores it.
        _ = try await connection.send("HSET", keyspace.profile(ap, user: anon), "email", #""v@example.com""#, "plan", #""free""#)
        _ = try await connection.send("HSET", keyspace.profile(up, user: user), "plan", #""pro""#)
        _ = try await connection.send("ZADD", keyspace.capWindow(ap, user: anon, channel: .email), nowMs, "k-anon")
        _ = try await connection.send("PEXPIRE", keyspace.capWindow(ap, user: anon, channel: .email), 3_600_000)
        _ = try await connection.send("ZADD", keyspace.capWindow(up, user: user, channel: .email), nowMs, "k-user")
        _ = try await connection.send("PEXPIRE", keyspace.capWindow(up, user: user, channel: .email), 60_000)
        _ = try await connection.send("RPUSH", keyspace.inbox(ap, user: anon), #"{"at":"\#(ISO8601.format(now))","id":"in-1","title":"Hi"}"#)
        _ = try await connection.send("SET", keyspace.inboxUnread(ap, user: anon), 1)
        _ = try await connection.send("SET", keyspace.inboxUnread(up, user: user), 2)
        _ = try await connection.send("SET", keyspace.suppression(ap, user: anon),
            #"{"entries":[{"address":"v@example.com","category":"marketing","channel":"email","reason":"unsubscribed","since":"\#(ISO8601.format(now))"}]}"#)
        let cart = try JSONValue.parse(#"{"type":"track","messageId":"a-cart","anonymousId":"\#(visitor)","event":"Cart Updated","properties":{"cart_id":"c-1"},"timestamp":"\#(ISO8601.format(now))"}"#)
        try await connection.xadd(keyspace.events(ap), fields: [("kind", "event"), ("event", cart.serialized())])
        #expect(try await handler.handle(try await entries(connection, keyspace.events(ap)), connection: connection) == [.done])

        // 1. Asked twice (the ingest entry redelivered): one handover entry.
        let mergeId = IdentitySnapshot.mergeId(messageId: "login", from: anon)
        for _ in 0..<2 {
            _ = try await connection.send(PartitionInput.handoverCommand(
                keyspace: keyspace, user: anon, into: user, mergeId: mergeId, nowMilliseconds: nowMs, dedupeWindowMilliseconds: 86_400_000))
        }
        let sourceEntries = try await entries(connection, keyspace.events(ap))
        #expect(sourceEntries.count == 2)
        let handover = try #require(sourceEntries.last)
        #expect(try PartitionInput(entry: handover) == .handover(user: anon, into: user, mergeId: mergeId))

        // 2. The snapshot is taken and the evaluator is gone before delivering it.
        let state = try UserJourneyState(decoding: try #require(try await connection.send("GET", keyspace.journeyState(ap, user: anon)).bytes), userId: anon)
        let lease = try #require(try await connection.send("GET", keyspace.lease(ap)).string)
        let taken = try await connection.send(handler.handoverCommand(
            partition: ap, user: anon, into: user, mergeId: mergeId, state: state, leaseValue: lease, entryID: handover.id, now: now))
        #expect(taken.array?.first?.string == "OK")
        #expect(try await connection.send("EXISTS", keyspace.handover(ap, id: mergeId)).int == 1, "the snapshot waits in the visitor's partition")
        #expect(try await entries(connection, keyspace.events(up)).isEmpty)
        for family in [keyspace.journeyState(ap, user: anon), keyspace.profile(ap, user: anon), keyspace.capWindow(ap, user: anon, channel: .email),
                       keyspace.inbox(ap, user: anon), keyspace.inboxUnread(ap, user: anon), keyspace.suppression(ap, user: anon)] {
            #expect(try await connection.send("EXISTS", family).int == 0, "\(family) moved")
        }
        #expect(try await connection.send("ZCARD", keyspace.timers(ap)).int == 0, "the visitor's timer moved")

        // 3. The handover entry redelivered (twice): applied before, so the snapshot is only delivered, once.
        #expect(try await handler.handle([handover], connection: connection) == [.done])
        #expect(try await handler.handle([handover], connection: connection) == [.done])
        let merges = try await entries(connection, keyspace.events(up))
        #expect(merges.count == 1 && merges.first?["kind"] == "merge")
        #expect(try await connection.send("EXISTS", keyspace.handover(ap, id: mergeId)).int == 0)
        #expect(try await connection.send("ZCARD", keyspace.handovers(ap)).int == 0)

        // 4. The merge folded, redelivered, and delivered a second time past the dedupe set.
        let merge = try #require(merges.first)
        #expect(try await handler.handle([merge], connection: connection) == [.done])
        #expect(try await handler.handle([merge], connection: connection) == [.done])
        guard case .merge(let snapshot) = try PartitionInput(entry: merge) else { Issue.record("not a merge entry"); return }
        _ = try await connection.send(PartitionInput.merge(snapshot).command(to: keyspace.events(up)))
        #expect(try await handler.handle([try #require(try await entries(connection, keyspace.events(up)).last)], connection: connection) == [.done])

        let profile = JSONValue.traits(fromProfileHash: try await connection.send("HGETALL", keyspace.profile(up, user: user)))
        #expect(profile["plan"] == "pro", "the user's trait wins")
        #expect(profile["email"] == "v@example.com", "the visitor's fills the gap")
        let caps = keyspace.capWindow(up, user: user, channel: .email)
        #expect(try await connection.send("ZCARD", caps).int == 2, "cap windows add up")
        #expect((try await connection.send("PTTL", caps).int ?? 0) > 60_000, "and keep the longer expiry")
        #expect(try await connection.send("LLEN", keyspace.inbox(up, user: user)).int == 1)
        #expect(try await connection.send("GET", keyspace.inboxUnread(up, user: user)).string == "3", "unread counts add up, once")
        #expect(try await connection.send("GET", keyspace.suppression(up, user: user)).string?.contains("unsubscribed") == true)
        let merged = try UserJourneyState(decoding: try #require(try await connection.send("GET", keyspace.journeyState(up, user: user)).bytes), userId: user)
        #expect(merged.instances.map(\.id) == state.instances.map(\.id) && merged.merges == [mergeId])
        #expect(try await connection.send("ZCARD", keyspace.timers(up)).int == 1, "one timer, re-keyed")
        let trail = try await TrailReader.entries(user: user, count: 100, keyspace: keyspace, connection: connection)
        let records: [TrailRecord] = trail.flatMap(\.records)
        let mergeLines = records.filter { record in record.code == "identityMerged" && record.instanceId == nil }
        #expect(mergeLines.count == 1, "merged once")
        #expect(records.contains { record in record.code == "entered" }, "the visitor's trail came along")

        // 5. Later inputs of the visitor are forwarded; its old timer, had it fired, is dropped.
        let later = try JSONValue.parse(#"{"type":"track","messageId":"a-order","anonymousId":"\#(visitor)","event":"Order Completed","properties":{"cart_id":"c-1"},"timestamp":"\#(ISO8601.format(now))"}"#)
        try await connection.xadd(keyspace.events(ap), fields: [("kind", "event"), ("event", later.serialized())])
        let oldTimer = try #require(state.instances.first?.waiting)
        try await connection.send(PartitionInput.timer(id: oldTimer.timerId, dueAtMilliseconds: Int64(oldTimer.dueAt.timeIntervalSince1970 * 1000), firedAtMilliseconds: nowMs, payload: nil).command(to: keyspace.events(ap)))
        let queued = Array(try await entries(connection, keyspace.events(ap)).suffix(2))
        #expect(try await handler.handle(queued, connection: connection) == [.done, .done])
        let forwarded = try #require(try await entries(connection, keyspace.events(up)).last)
        guard case .event(let event) = try PartitionInput(entry: forwarded) else { Issue.record("not forwarded as an event"); return }
        #expect(event.userId == user && event.anonymousId == visitor && event.event == "Order Completed")
        #expect(try await handler.handle([forwarded], connection: connection) == [.done])
        let after = try await connection.send("GET", keyspace.journeyState(up, user: user)).bytes
        #expect(try after.map { try UserJourneyState(decoding: $0, userId: user).instances.isEmpty } ?? true, "the forwarded order exits the cart")
    }
}
