import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldTestSupport
import Testing

/// Users inactive for `HERALD_USER_INACTIVITY_MS` are erased as `forget` erases them, against a
/// real fleet and Redis with a short period; a user who stays active is kept.
@Suite struct InactivityExpiryTests {
    @Test func anInactiveUserIsErasedLikeForgetAndAnActiveOneIsKept() async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt, ForgetTests.waiter])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        let idle = "u-idle-4b2e"
        let active = "u-active-9c1d"
        for name in ["herald-ingestor", "herald-scheduler", "herald-email-sender"] { try fleet.start(name) }
        try fleet.start("herald-evaluator", ["HERALD_USER_INACTIVITY_MS": "6000", "HERALD_USER_INACTIVITY_SWEEP_MS": "300"])
        try await fleet.produce(connection, [
            ForgetTests.identify(idle, "m-1", email: "\(idle)@example.com"), ForgetTests.identify(active, "m-2", email: "\(active)@example.com"),
            ForgetTests.track(idle, "Order Completed", "m-3", #"{"order_id":"o-1","total":10}"#),
            ForgetTests.track(idle, "Signed Up", "m-4"), ForgetTests.track(active, "Signed Up", "m-5"),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count == 1 })
        #expect(try await eventually { try await fleet.drained(connection) })
        let partition = fleet.keyspace.partition(ofUser: idle)
        #expect(try await connection.send("ZSCORE", fleet.keyspace.activity(partition), idle).string != nil, "accepted events set the last activity")
        #expect(try await ForgetTests.mentions(of: idle, connection: connection).count >= 4)

        // The active user sends an event every second; the idle one nothing more.
        var erased = false
        for second in 0..<30 {
            try await fleet.produce(connection, [ForgetTests.track(active, "Page Viewed", "a-\(second)")])
            let records = RedisConnection.parseEntries(try await connection.send("XRANGE", fleet.keyspace.erasures, "-", "+").array ?? [], stream: fleet.keyspace.erasures)
            if records.contains(where: { $0["userSha256"] == AddressHash.sha256Hex(Array(idle.utf8)) }) {
                erased = true
                break
            }
            try await Task.sleep(for: .seconds(1))
        }
        #expect(erased, "the idle user's erasure is recorded")
        #expect(try await eventually { try await fleet.drained(connection) })
        let after = try await ForgetTests.mentions(of: idle, connection: connection)
        #expect(after.isEmpty, "still naming the idle user: \(after)")
        let records = RedisConnection.parseEntries(try await connection.send("XRANGE", fleet.keyspace.erasures, "-", "+").array ?? [], stream: fleet.keyspace.erasures)
        #expect(records.count == 1, "one erasure, of the idle user only: \(records.map(\.fields))")
        let record = try #require(records.first)
        #expect(record["requestedBy"] == InactivitySweep.requestedBy)
        for family in ["profile", "state", "timers"] {
            #expect(record["erased"]?.contains(family + "=") == true, "\(family) in \(record["erased"] ?? "")")
        }
        let activePartition = fleet.keyspace.partition(ofUser: active)
        #expect(try await connection.send("EXISTS", fleet.keyspace.profile(activePartition, user: active)).int == 1, "the active user is kept")
        #expect(try await connection.send("EXISTS", fleet.keyspace.journeyState(activePartition, user: active)).int == 1)
        #expect(try await connection.send("ZSCORE", fleet.keyspace.activity(activePartition), active).string != nil)
        _ = fleet.stopAll()
    }
}
