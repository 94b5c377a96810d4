import Foundation
import HeraldCore
@testable import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// Pacing on a real fleet: the entry throttle holds simultaneous triggers across users,
/// partitions and two evaluators to its count per window and enters the rest later, none lost;
/// a redelivered input keeps its one slot; a journey's frequency cap skips a send; an entry
/// schedule refuses triggers outside it.
@Suite struct PacingFleetTests {
    static let throttled = #"""
        {"id": "launch", "name": "Launch",
         "trigger": {"behaviour": {"event": "Signed Up"}},
         "entry": {"throttle": {"count": 3, "per": "4s"}},
         "steps": [{"id": "hello", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}]}
        """#

    /// Every decision of `user`'s trail with the time of its input, oldest first.
    static func trail(_ fleet: FleetHarness, _ user: String, _ connection: RedisConnection) async throws -> [(at: Int64, record: TrailRecord)] {
        let log = fleet.keyspace.trailLog(fleet.keyspace.partition(ofUser: user), user: user)
        let entries = (try await connection.send("LRANGE", log, 0, -1).array ?? []).compactMap(\.string).compactMap { TrailRecord.decodeEntry($0) }
        return entries.reversed().flatMap { entry in entry.records.map { (entry.atMilliseconds, $0) } }
    }

    @Test(arguments: RedisMode.allCases) func simultaneousTriggersBeyondTheThrottleEnterInLaterWindowsNoneLost(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [Self.throttled], mode: mode)
        let connection = fleet.connection()
        try await fleet.publishJourneys()
        for name in ["herald-ingestor", "herald-evaluator", "herald-evaluator", "herald-scheduler", "herald-email-sender"] { try fleet.start(name) }
        let users = (1...8).map { "rush-\($0)" }
        #expect(Set(users.map(fleet.keyspace.partition(ofUser:))).count > 1, "the users span partitions")
        try await fleet.produce(connection, users.map { TestJourneys.identify($0, messageId: "i-\($0)") })
        #expect(try await eventually { try await fleet.processedAll(connection) })
        // 8 triggers at once, 3 per 4 s: 3 enter now, 3 at the next window, 2 at the one after.
        try await fleet.produce(connection, users.map { TestJourneys.track($0, "Signed Up", messageId: "s-\($0)") })
        #expect(try await eventually(timeout: 40) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count == 8 })
        var entered: [Int64] = []
        var slots: [Int64] = []
        var queuedUsers = 0
        for user in users {
            let trail = try await Self.trail(fleet, user, connection)
            let entries = trail.filter { $0.record.code == "entered" }
            #expect(entries.count == 1, "\(user) entered once: \(trail.map(\.record.code))")
            if let first = entries.first { entered.append(first.at) }
            for queued in trail where queued.record.code == "entryQueued" {
                queuedUsers += 1
                let slot = Int64(queued.record.details.first ?? "") ?? 0
                slots.append(slot)
                // The trail keeps the slot in whole seconds, rounded.
                #expect((entries.first?.at ?? 0) + 500 >= slot * 1000, "\(user) entered at or after its slot")
            }
        }
        // The 5 beyond the first window were queued, not dropped. With two evaluators one more may
        // be queued for a few milliseconds: slots keep the order they were reserved in, and an
        // evaluator whose batch read the clock earlier can reserve after one that read it later.
        #expect(queuedUsers >= 5 && queuedUsers <= 6, "\(queuedUsers) queued")
        entered.sort()
        let first = try #require(entered.first)
        #expect(entered.filter { $0 < first + 4000 }.count == 3, "3 entries in the first window: \(entered.map { $0 - first })")
        #expect(entered.filter { $0 >= first + 4000 && $0 < first + 8000 }.count == 3, "\(entered.map { $0 - first })")
        #expect(entered.filter { $0 >= first + 8000 }.count == 2, "\(entered.map { $0 - first })")
        // The shared throttle key holds one reservation per entry, none twice.
        let key = fleet.keyspace.entryThrottle(journey: "launch")
        #expect(try await connection.send("ZCARD", key).int == 8)
        #expect(try await connection.send("PTTL", key).int ?? -1 > 0, "the reservations expire")
        let codes = fleet.stopAll()
        #expect(codes.values.allSatisfy { $0 == 0 }, "\(codes)")
    }

    @Test func anInputRedeliveredAfterItsReservationKeepsItsSlotAndEnters() async throws {
        let fleet = try FleetHarness(partitions: 1, journeys: [Self.throttled])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        let keyspace = fleet.keyspace
        let handler = try await fleet.evaluatorHandler(connection)
        let catalog = try await JourneyRegistry(keyspace: keyspace).load(connection: connection)
        var requests: [EntrySlotRequest] = []
        for n in 1...4 {
            let text = TestJourneys.track("u\(n)", "Signed Up", messageId: "s-\(n)")
            let event = try Event.validate(payload: Array(text.utf8))
            requests += JourneyEngine.evaluate(UserJourneyState(userId: "u\(n)"), input: .event(event, profile: [:]), now: Date(), catalog: catalog).slotRequests
            try await connection.xadd(keyspace.events(0), fields: [("kind", "event"), ("event", try JSONValue.parse(text).serialized())])
        }
        #expect(requests.count == 4)
        // An evaluator reserved the fourth user's slot, then died before its apply: the slot is taken.
        let reservations = EntryThrottleReservations(keyspace: keyspace)
        let before = try await reservations.reserve([requests[3]], now: Date(), connection: connection)
        let entries = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.events(0), "-", "+").array ?? [], stream: keyspace.events(0))
        #expect(try await handler.handle(entries, connection: connection) == [.done, .done, .done, .done])
        let key = keyspace.entryThrottle(journey: "launch")
        #expect(try await connection.send("ZCARD", key).int == 4, "the redelivered input took no second slot")
        let again = try await reservations.reserve([requests[3]], now: Date(), connection: connection)
        #expect(again == before)
        // Its slot came first, so it entered now, and the third user, the fourth reservation, is queued.
        #expect(try await connection.send("XLEN", keyspace.outbox(0, .email)).int == 3)
        let queued = try await Self.trail(fleet, "u3", connection).map(\.record.code)
        #expect(queued == ["entryQueued"], "\(queued)")
        #expect(try await Self.trail(fleet, "u4", connection).map(\.record.code).contains("entered"))
    }

    @Test func theScriptAndThePureThrottleLogGiveTheSameSlots() async throws {
        let redis = try RedisServer()
        let connection = redis.connection()
        let key = RedisKey("pacing-test:{et:j}:slots")
        var log = EntryThrottleLog()
        var now: Int64 = Int64(Date().timeIntervalSince1970 * 1000)
        var generator = SystemRandomNumberGenerator()
        for n in 0..<200 {
            now += Int64.random(in: 0...400, using: &generator)
            // Now and then a member asks again, as a redelivered input does.
            let member = n % 7 == 6 ? "m\(n - 3)" : "m\(n)"
            let expected = log.reserve(member: member, nowMilliseconds: now, count: 5, windowMilliseconds: 2000)
            let reply = try await connection.evaluate(
                HeraldScripts.entryThrottle, keys: [key], arguments: [now, member, 5, Int64(2000), EntryThrottleLog.minimumRetentionMilliseconds])
            #expect(reply.int == expected, "reservation \(n)")
        }
        let slots = log.slots.values.sorted()
        for (index, slot) in slots.enumerated() where index + 5 < slots.count {
            #expect(slots[index + 5] - slot >= 2000, "no 2 s window holds more than 5 slots")
        }
    }

    @Test(arguments: RedisMode.allCases) func aJourneysCapSkipsASendAndAScheduleRefusesEntriesOutsideIt(mode: RedisMode) async throws {
        let closed = ISO8601.format(Date().addingTimeInterval(-3600))
        let opened = ISO8601.format(Date().addingTimeInterval(-7200))
        let later = ISO8601.format(Date().addingTimeInterval(3600))
        let capped = #"""
            {"id": "promo", "trigger": {"behaviour": {"event": "Browsed"}}, "entry": {"reentry": "always", "maxLiveInstancesPerUser": 5},
             "defaults": {"frequencyCap": {"count": 1, "within": "1h"}},
             "steps": [{"id": "offer", "send": {"channel": "email", "template": "welcome"}}]}
            """#
        let over = #"""
            {"id": "over", "trigger": {"behaviour": {"event": "Browsed"}}, "entry": {"schedule": {"start": "\#(opened)", "end": "\#(closed)"}},
             "steps": [{"id": "offer", "send": {"channel": "email", "template": "welcome"}}]}
            """#
        let open = #"""
            {"id": "open", "trigger": {"behaviour": {"event": "Browsed"}}, "entry": {"schedule": {"start": "\#(opened)", "end": "\#(later)"}},
             "steps": [{"id": "offer", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}]}
            """#
        let fleet = try FleetHarness(journeys: [capped, over, open], mode: mode)
        let connection = fleet.connection()
        try await fleet.publishJourneys()
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"] { try fleet.start(name) }
        try await fleet.produce(connection, [
            TestJourneys.identify("ann", messageId: "i-ann"),
            TestJourneys.track("ann", "Browsed", messageId: "b-1"), TestJourneys.track("ann", "Browsed", messageId: "b-2"),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count == 3 })
        #expect(try await eventually { try await fleet.drained(connection) })
        let sent = try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.map { $0["journey"] ?? "" }.sorted()
        #expect(sent == ["open", "open", "promo"], "one promo (the second is capped), the open schedule's two, nothing from the closed one")
        let trail = try await Self.trail(fleet, "ann", connection).map(\.record)
        let skip = try #require(trail.first { $0.code == "sendCapped" })
        #expect(skip.journey == "promo" && skip.step == "offer" && skip.details.last?.contains("1 per 1h") == true, "\(skip)")
        let refusals = trail.filter { $0.code == "notEntered" && $0.journey == "over" }
        #expect(refusals.count == 2 && refusals.allSatisfy { $0.details.first?.hasPrefix("outside the entry schedule: it closed at") == true }, "\(refusals)")
        let partition = fleet.keyspace.partition(ofUser: "ann")
        let promoStats = try await connection.send("HGET", fleet.keyspace.journeyStats(partition, journey: "promo"), "offer:capped").string
        #expect(promoStats.flatMap(Double.init) == 1)
        let overStats = try await connection.send("HGET", fleet.keyspace.journeyStats(partition, journey: "over"), "_:notEntered").string
        #expect(overStats.flatMap(Double.init) == 2)
        _ = fleet.stopAll()
    }
}
