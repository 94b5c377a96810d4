import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// The ingestor as a real process against a real Redis.
@Suite(.serialized) struct IngestorTests {
    let redis: RedisServer
    let keyspace = testKeyspace()

    init() throws { redis = try RedisServer() }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["REDIS_URL": redis.url, "HERALD_PREFIX": keyspace.prefix, "HERALD_PARTITIONS": String(keyspace.partitions)].merging(extra) { _, new in new }
    }

    func produce(_ connection: RedisConnection, _ payload: String) async throws {
        // A producer retries once after a dropped connection, as any Redis client would.
        do {
            try await connection.xadd(keyspace.ingest, fields: [("event", payload)])
        } catch is RedisClientError {
            try await connection.xadd(keyspace.ingest, fields: [("event", payload)])
        }
    }

    @Test func everyMalformedInputClassIsKeptVerbatimWithItsReason() async throws {
        let connection = redis.connection()
        let oversized = #"{"type":"track","messageId":"big","userId":"u","event":"E","timestamp":"\#(TestTime.recent)","properties":{"blob":""# + String(repeating: "x", count: 33 * 1024) + #""}}"#
        let cases: [(payload: String, code: String)] = [
            ("this is not json", "not_json"),
            (#"["an","array"]"#, "not_an_object"),
            (#"{"type":"track","messageId":"m1","event":"E","timestamp":"\#(TestTime.recent)"}"#, "missing_identity"),
            (#"{"type":"pageview","messageId":"m2","userId":"u","timestamp":"\#(TestTime.recent)"}"#, "unknown_type"),
            (#"{"type":"track","messageId":"m3","userId":"u","timestamp":"\#(TestTime.recent)"}"#, "track_without_event"),
            (#"{"type":"track","messageId":"m4","userId":"u","event":"E","timestamp":"yesterday"}"#, "bad_timestamp"),
            (#"{"type":"track","messageId":"m5","userId":"u","event":"E","sentAt":"yesterday"}"#, "invalid_field"),
            (#"{"type":"track","userId":"u","event":"E","timestamp":"\#(TestTime.recent)"}"#, "missing_field"),
            (#"{"type":"track","messageId":"m6","userId":"u","event":"E","properties":[1],"timestamp":"\#(TestTime.recent)"}"#, "invalid_field"),
            (oversized, "too_large"),
        ]
        for item in cases { try await produce(connection, item.payload) }
        try await connection.xadd(keyspace.ingest, fields: [("payload", "wrong field name")])
        let ingestor = try FleetProcessHandle("herald-ingestor", environment: environment())
        #expect(try await eventually { try await connection.send("XLEN", keyspace.rejected).int == Int64(cases.count + 1) })
        let reply = try await connection.send("XRANGE", keyspace.rejected, "-", "+")
        let rejected = RedisConnection.parseEntries(reply.array ?? [], stream: keyspace.rejected)
        #expect(rejected.count == cases.count + 1)
        for (entry, item) in zip(rejected, cases) {
            #expect(entry.bytes("payload") == Array(item.payload.utf8), "payload kept byte for byte")
            #expect(entry["code"] == item.code, "\(item.payload.prefix(60)) → \(entry["reason"] ?? "")")
            #expect((entry["reason"] ?? "").isEmpty == false)
        }
        #expect(rejected.last?["code"] == "missing_payload")
        #expect(rejected.last?["field.payload"] == "wrong field name")
        for partition in keyspace.allPartitions {
            #expect(try await connection.send("XLEN", keyspace.events(partition)).int == 0, "nothing malformed reaches a partition")
        }
        #expect(ingestor.terminate().status == 0)
    }

    @Test func aMessageWithoutTimestampTakesItsReceiveTimeAndSentAtCorrectsTheProducersClock() async throws {
        let connection = redis.connection()
        // The producer's clock is a day fast: it recorded the second event 4 s before it sent it.
        let fast = Date().addingTimeInterval(86_400)
        try await produce(connection, #"{"type":"track","messageId":"t-1","userId":"tim","event":"Opened"}"#)
        try await produce(connection, #"{"type":"track","messageId":"t-2","userId":"tim","event":"Opened","originalTimestamp":"\#(ISO8601.format(fast.addingTimeInterval(-4)))","sentAt":"\#(ISO8601.format(fast))"}"#)
        let ingested = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.ingest, "-", "+").array ?? [], stream: keyspace.ingest)
        let ingestor = try FleetProcessHandle("herald-ingestor", environment: environment())
        let partition = keyspace.partition(ofUser: "tim")
        #expect(try await eventually { try await connection.send("XLEN", keyspace.events(partition)).int == 2 })
        let entries = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.events(partition), "-", "+").array ?? [], stream: keyspace.events(partition))
        let events = try entries.map { entry -> Event in
            guard case .event(let event) = try PartitionInput(entry: entry) else { throw RedisServerError(command: "test", message: "not an event") }
            return event
        }
        let milliseconds = events.map { Int64(($0.timestamp.timeIntervalSince1970 * 1000).rounded()) }
        #expect(milliseconds == [ingested[0].timestampMilliseconds, ingested[1].timestampMilliseconds - 4000], "no timestamp: the receive time; sentAt: receivedAt − (sentAt − originalTimestamp)")
        #expect(ingestor.terminate().status == 0)
    }

    @Test func duplicatesAreDroppedAndIdentifyUpdatesTheProfile() async throws {
        let connection = redis.connection()
        let track = #"{"type":"track","messageId":"dup-1","userId":"ann","event":"Product Added","properties":{"sku":"A"},"timestamp":"\#(TestTime.recent)"}"#
        try await produce(connection, track)
        try await produce(connection, track)
        try await produce(connection, #"{"type":"identify","messageId":"id-1","userId":"ann","traits":{"email":"ann@example.com","plan":"pro"},"timestamp":"\#(TestTime.recentPlusOne)"}"#)
        let ingestor = try FleetProcessHandle("herald-ingestor", environment: environment())
        let partition = keyspace.partition(ofUser: "ann")
        #expect(try await eventually { try await connection.send("XLEN", keyspace.events(partition)).int == 2 })
        #expect(try await eventually { try await FleetHarness.drained([keyspace.ingest], connection: connection) }, "all three entries read and acknowledged")
        #expect(try await connection.send("XLEN", keyspace.events(partition)).int == 2, "the duplicate stays out")
        let profile = try await connection.send("HGET", keyspace.profile(partition, user: "ann"), "email").string
        #expect(profile == #""ann@example.com""#)
        let entries = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.events(partition), "-", "+").array ?? [], stream: keyspace.events(partition))
        let first = try JSONValue.parse(entries[0].bytes("event") ?? [])
        #expect(first["event"] == "Product Added")
        #expect(first["receivedAt"]?.stringValue != nil, "the ingest time travels with the event")
        // ingest.lua writes the `event` kind of the one wire type, never `feedback`.
        guard case .event(let event) = try PartitionInput(entry: entries[0]) else { Issue.record("not an event input"); return }
        #expect(event.messageId == "dup-1" && event.event == "Product Added" && event.receivedAt != nil)
        #expect(ingestor.terminate().status == 0)
    }

    @Test func sigtermDrainsAndExitsZeroWithinTenSeconds() async throws {
        let connection = redis.connection()
        for index in 0..<2000 {
            try await produce(connection, #"{"type":"track","messageId":"m\#(index)","userId":"u\#(index % 50)","event":"E","timestamp":"\#(TestTime.recent)"}"#)
        }
        let ingestor = try FleetProcessHandle("herald-ingestor", environment: environment(["HERALD_BATCH_SIZE": "50"]))
        #expect(try await eventually { try await totalEvents(connection) > 0 })
        let (status, seconds) = ingestor.terminate()
        #expect(status == 0)
        #expect(seconds < 10)
        #expect(ingestor.log.contains("finishing in-flight work"))
        // Whatever was read was acknowledged: nothing is left pending at the stopped consumer.
        let groups = try await connection.send("XINFO", "GROUPS", keyspace.ingest).array ?? []
        let pending = groups.first?.array.flatMap { fields in zip(fields, fields.dropFirst()).first { $0.0.string == "pending" }?.1.int }
        #expect(pending == 0)
    }

    @Test func survivesARedisRestartMidRun() async throws {
        let connection = redis.connection()
        let ingestor = try FleetProcessHandle("herald-ingestor", environment: environment())
        for index in 0..<100 {
            try await produce(connection, #"{"type":"track","messageId":"a\#(index)","userId":"u\#(index)","event":"E","timestamp":"\#(TestTime.recent)"}"#)
        }
        #expect(try await eventually { try await totalEvents(connection) == 100 })
        try redis.restart()
        for index in 0..<100 {
            try await produce(connection, #"{"type":"track","messageId":"b\#(index)","userId":"u\#(index)","event":"E","timestamp":"\#(TestTime.recent)"}"#)
        }
        #expect(try await eventually(timeout: 20) { try await totalEvents(connection) == 200 })
        #expect(ingestor.terminate().status == 0)
    }

    @Test func rejectedPayloadsKeepTheirCountAndAge() async throws {
        let connection = redis.connection()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let hour: Int64 = 3_600_000
        // Rejected three and two hours ago, written as they would have been back then.
        _ = try await connection.send("XADD", keyspace.rejected, "\(now - 3 * hour)-0", "payload", "older", "code", "not_json")
        _ = try await connection.send("XADD", keyspace.rejected, "\(now - 2 * hour)-0", "payload", "old", "code", "not_json")
        let ingestor = try FleetProcessHandle("herald-ingestor", environment: environment([
            "HERALD_REJECTED_MAX": "25", "HERALD_REJECTED_MAX_AGE_MS": String(hour), "HERALD_CLAIM_INTERVAL_MS": "100",
        ]))
        #expect(try await eventually { try await connection.send("XLEN", keyspace.rejected).int == 0 }, "past the age, trimmed with no new rejection")
        for index in 0..<40 { try await produce(connection, "not json \(index)") }
        #expect(try await eventually { try await FleetHarness.drained([keyspace.ingest], connection: connection) })
        #expect(try await connection.send("XLEN", keyspace.rejected).int == 25, "40 rejected, 25 kept")
        let oldest = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.rejected, "-", "+", "COUNT", 1).array ?? [], stream: keyspace.rejected).first
        #expect(oldest?.bytes("payload") == Array("not json 15".utf8), "the newest 25 are kept")
        #expect(ingestor.terminate().status == 0)
    }

    @Test func theDedupeWindowIsATimeAndTheCapacityCuttingItShortIsReported() async throws {
        let connection = redis.connection()
        let user = "dedupe-user"
        let partition = keyspace.partition(ofUser: user)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        // Seen two windows ago: past the window, so accepted again.
        _ = try await connection.send("ZADD", keyspace.dedupe(partition), now - 2 * 600_000, "expired-1")
        func track(_ id: String) -> String {
            #"{"type":"track","messageId":"\#(id)","userId":"\#(user)","event":"E","timestamp":"\#(TestTime.recent)"}"#
        }
        try await produce(connection, track("expired-1"))
        for index in 0..<12 { try await produce(connection, track("m\(index)")) }
        let ingestor = try FleetProcessHandle("herald-ingestor", environment: environment([
            "HERALD_DEDUPE_WINDOW_MS": "600000", "HERALD_DEDUPE_CAPACITY": "10",
        ]))
        #expect(try await eventually { try await FleetHarness.drained([keyspace.ingest], connection: connection) })
        #expect(try await connection.send("XLEN", keyspace.events(partition)).int == 13, "the id seen before the window is accepted again")
        #expect(try await connection.send("ZCARD", keyspace.dedupe(partition)).int == 10, "the capacity still bounds memory")
        #expect(try await eventually { ingestor.log.contains("dedupe window cut short by HERALD_DEDUPE_CAPACITY") })
        #expect(ingestor.terminate().status == 0)
    }

    @Test func withinTheCapacityTheWholeWindowIsKeptAndNothingIsReported() async throws {
        let connection = redis.connection()
        for index in 0..<12 {
            try await produce(connection, #"{"type":"track","messageId":"w\#(index)","userId":"u\#(index)","event":"E","timestamp":"\#(TestTime.recent)"}"#)
        }
        let ingestor = try FleetProcessHandle("herald-ingestor", environment: environment(["HERALD_DEDUPE_CAPACITY": "1000"]))
        #expect(try await eventually { try await FleetHarness.drained([keyspace.ingest], connection: connection) })
        #expect(try await totalEvents(connection) == 12)
        #expect(ingestor.terminate().status == 0)
        #expect(!ingestor.log.contains("dedupe window cut short"))
    }

    func totalEvents(_ connection: RedisConnection) async throws -> Int64 {
        var total: Int64 = 0
        for partition in keyspace.allPartitions { total += try await connection.send("XLEN", keyspace.events(partition)).int ?? 0 }
        return total
    }
}
