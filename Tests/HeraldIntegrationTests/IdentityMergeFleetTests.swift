import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// Segment's anonymous-to-known flow on a running fleet: a cart started as an `anonymousId`
/// continues under the `userId` after an identify that carries both (docs/journeys.md, "Identity
/// merge"), whether the two ids live in one partition or in two (on a cluster, two hash slots).
@Suite struct IdentityMergeFleetTests {
    static let cart = #"""
        {"id": "anon-cart", "name": "Anonymous cart",
         "trigger": {"behaviour": {"event": "Cart Updated"}},
         "entry": {"reentry": "afterExit", "concurrencyKey": "properties.cart_id"},
         "exit": {"on": [{"event": "Order Completed", "match": ["properties.cart_id"]}]},
         "steps": [
           {"id": "wait", "wait": {"duration": "4s"}},
           {"id": "reminder", "send": {"channel": "email", "template": "cart-reminder", "category": "transactional"}}
         ]}
        """#

    @Test(arguments: RedisMode.allCases, [false, true])
    func anAnonymousCartContinuesAfterIdentifyAndItsReminderGoesOnceToTheUserAtTheOriginalTime(mode: RedisMode, samePartition: Bool) async throws {
        let fleet = try FleetHarness(journeys: [Self.cart], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let keyspace = fleet.keyspace
        let user = "u-merge"
        let userPartition = keyspace.partition(ofUser: user)
        let visitor = try #require((0..<500).map { "visitor-\($0)" }.first { (keyspace.partition(ofUser: "anon:" + $0) == userPartition) == samePartition })
        let anon = "anon:" + visitor
        let anonPartition = keyspace.partition(ofUser: anon)
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"] { try fleet.start(name) }

        try await fleet.produce(connection, [
            #"{"type":"track","messageId":"a-cart","anonymousId":"\#(visitor)","event":"Cart Updated","properties":{"cart_id":"c-9","total":40},"timestamp":"\#(ISO8601.format(Date()))"}"#,
        ])
        var started: JourneyInstance?
        #expect(try await eventually {
            guard let bytes = try await connection.send("GET", keyspace.journeyState(anonPartition, user: anon)).bytes else { return false }
            started = try UserJourneyState(decoding: bytes, userId: anon).instances.first
            return started?.waiting != nil
        }, "the anonymous visitor's cart waits")
        let instance = try #require(started)
        let due = try #require(instance.waiting?.dueAt)

        // The visitor logs in: an identify with both ids.
        try await fleet.produce(connection, [
            #"{"type":"identify","messageId":"login","userId":"\#(user)","anonymousId":"\#(visitor)","traits":{"email":"merge@example.com","firstName":"Mia"}}"#,
        ])
        var moved: JourneyInstance?
        #expect(try await eventually {
            guard let bytes = try await connection.send("GET", keyspace.journeyState(userPartition, user: user)).bytes else { return false }
            moved = try UserJourneyState(decoding: bytes, userId: user).instances.first { $0.id == instance.id }
            return moved != nil
        }, "the cart continues under the user")
        #expect(moved?.waiting?.dueAt == due, "at its original time")
        let rekeyed = try #require(moved?.waiting?.timerId)
        #expect(rekeyed == JourneyTimer.instanceTimerId(user: user, journey: "anon-cart", instanceId: instance.id, step: "wait", kind: .resume))
        let score = try await connection.send("ZSCORE", keyspace.timers(userPartition), rekeyed).string.flatMap(Double.init)
        #expect(score.map { Int64($0) } == Int64((due.timeIntervalSince1970 * 1000).rounded()), "the timer is re-keyed to the user, due when it was")
        #expect(try await connection.send("ZSCORE", keyspace.timers(anonPartition), try #require(instance.waiting?.timerId)).isNull, "the anonymous id's timer is gone")
        #expect(try await connection.send("GET", keyspace.mergedInto(anonPartition, user: anon)).string == user, "the anonymous id is tombstoned into the user")
        #expect(try await connection.send("EXISTS", keyspace.journeyState(anonPartition, user: anon)).int == 0)

        // After the merge, what the anonymous id sends is the user's: a trait of an anonymous identify
        // reaches the user's profile.
        try await fleet.produce(connection, [
            #"{"type":"identify","messageId":"a-later","anonymousId":"\#(visitor)","traits":{"favouriteColour":"teal"}}"#,
        ])
        #expect(try await eventually {
            try await connection.send("HGET", keyspace.profile(userPartition, user: user), "favouriteColour").string == #""teal""#
        }, "the anonymous id's later event was forwarded to the user")

        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        #expect(try await eventually { try await fleet.drained(connection) }, "everything read, acknowledged and no timer due")
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.count == 1, "the reminder is sent once: \(deliveries.map { $0.fields.map(\.0) })")
        let delivery = try #require(deliveries.first)
        #expect(delivery["userId"] == user && delivery["step"] == "reminder" && delivery["id"] == "\(instance.id)/reminder/0")
        let requestedAt = try #require(delivery["requestedAt"].flatMap(ISO8601.parse))
        #expect(requestedAt >= due && requestedAt < due.addingTimeInterval(3), "requested at the original time: \(ISO8601.format(requestedAt)) for \(ISO8601.format(due))")
        let emails = fleet.emails()
        #expect(emails.count == 1)
        #expect(try String(contentsOf: try #require(emails.first), encoding: .utf8).contains("To: merge@example.com"))

        // The user's trail holds the visitor's decisions and the merge.
        let trail = try await TrailReader.entries(user: user, count: 100, keyspace: keyspace, connection: connection)
        let codes = Set(trail.flatMap { $0.records.map(\.code) })
        #expect(codes.isSuperset(of: ["entered", "identityMerged", "timerFired", "sendRequested"]), "\(codes)")
        #expect(try await connection.send("EXISTS", keyspace.trailLog(anonPartition, user: anon)).int == 0)
        let exitCodes = fleet.stopAll()
        #expect(exitCodes.values.allSatisfy { $0 == 0 }, "\(exitCodes)")
    }

    @Test func anAliasMergesThePreviousIdIntoTheUser() async throws {
        let fleet = try FleetHarness(journeys: [Self.cart])
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let keyspace = fleet.keyspace
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"] { try fleet.start(name) }
        try await fleet.produce(connection, [
            TestJourneys.identify("u-alias", messageId: "i-alias"),
            #"{"type":"track","messageId":"p-cart","anonymousId":"device-7","event":"Cart Updated","properties":{"cart_id":"c-3"}}"#,
        ])
        let anon = "anon:device-7"
        let anonPartition = keyspace.partition(ofUser: anon)
        #expect(try await eventually { try await connection.send("EXISTS", keyspace.journeyState(anonPartition, user: anon)).int == 1 })
        try await fleet.produce(connection, [#"{"type":"alias","messageId":"alias-1","userId":"u-alias","previousId":"device-7"}"#])
        #expect(try await eventually { try await connection.send("GET", keyspace.mergedInto(anonPartition, user: anon)).string == "u-alias" })
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        #expect(try await eventually { try await fleet.drained(connection) })
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.count == 1 && deliveries.first?["userId"] == "u-alias" && deliveries.first?["journey"] == "anon-cart")
        // `previousId` may be an earlier user id: that identity is tombstoned into the user too.
        let previous = keyspace.partition(ofUser: "device-7")
        #expect(try await connection.send("GET", keyspace.mergedInto(previous, user: "device-7")).string == "u-alias")
        #expect(fleet.stopAll().values.allSatisfy { $0 == 0 })
    }
}
