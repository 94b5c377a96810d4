import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// Stored data the evaluator cannot read is never replaced by a default: the input is
/// dead-lettered with a reason naming the user and partition, the stored bytes stay as they are,
/// and the worker goes on with the next users' inputs. One partition, so every input is on one
/// stream in order, and a later user's effect proves the earlier inputs were handled.
@Suite struct EvaluatorFailClosedTests {
    static func order(_ user: String, _ id: String) -> String {
        TestJourneys.track(user, "Order Completed", messageId: id, properties: #"{"order_id":"\#(id)","total":10}"#)
    }

    @Test(arguments: RedisMode.allCases) func aCorruptJourneyStateDeadLettersThatUsersInputsAndLeavesTheBytesAlone(mode: RedisMode) async throws {
        let fleet = try FleetHarness(partitions: 1, journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let keyspace = fleet.keyspace
        // Not JSON (and not UTF-8), and a key of the wrong type.
        let corrupt: [UInt8] = Array(#"{"instances":[{"id":"#.utf8) + [0xff, 0x00, 0xfe]
        try await connection.send("SET", keyspace.journeyState(0, user: "gil"), corrupt)
        try await connection.send("HSET", keyspace.journeyState(0, user: "kim"), "not", "a blob")
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        try await fleet.produce(connection, [
            Self.order("gil", "g-1"), Self.order("kim", "k-1"), Self.order("hal", "h-1"), Self.order("gil", "g-2"), Self.order("hal", "h-2"),
        ])
        // hal's second order is behind every other input on the stream.
        #expect(try await eventually(timeout: 20) { try await connection.send("XLEN", keyspace.outbox(0, .email)).int == 2 })
        #expect(try await eventually(timeout: 10) { try await fleet.deadLetters(connection).count == 3 })
        let requests = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.outbox(0, .email), "-", "+").array ?? [], stream: keyspace.outbox(0, .email))
        let users = try requests.map { try SendRequest(json: try JSONValue.parse(try #require($0.bytes("request")))).userId }
        #expect(users == ["hal", "hal"], "only the readable user's orders were evaluated")

        let dead = try await fleet.deadLetters(connection)
        let gil = dead.filter { $0["original.event"]?.contains(#""userId":"gil""#) == true }
        #expect(gil.count == 2, "every input of that user is refused, the later one too")
        for entry in gil {
            let reason = entry["error"] ?? ""
            #expect(reason.contains("journey state of user 'gil' in partition 0") && reason.contains("journey state is not JSON"), "\(reason)")
            #expect(entry["original.kind"] == "event" && entry["stream"] == keyspace.events(0).rawValue)
        }
        let kim = try #require(dead.first { $0["original.event"]?.contains(#""userId":"kim""#) == true })
        #expect(kim["error"]?.contains("journey state of user 'kim' in partition 0") == true && kim["error"]?.contains("WRONGTYPE") == true, "\(kim["error"] ?? "")")

        #expect(try await connection.send("GET", keyspace.journeyState(0, user: "gil")).bytes == corrupt, "the stored bytes are unchanged")
        #expect(try await connection.send("HGET", keyspace.journeyState(0, user: "kim"), "not").string == "a blob")
        #expect(try await connection.send("EXISTS", keyspace.trail(0, user: "gil")).int == 0, "nothing of gil's inputs was applied")
        #expect(try await connection.send("EXISTS", keyspace.journeyState(0, user: "hal")).int == 1)
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aSuppressionRecordThatCannotBeReadIsNeverReplacedByFeedback(mode: RedisMode) async throws {
        let fleet = try FleetHarness(partitions: 1, journeys: [TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let keyspace = fleet.keyspace
        // A bounce whose date was lost: dropping the record would mail that address again.
        let stored = #"{"entries":[{"channel":"email","address":"ivy@example.com","reason":"hard_bounce"}]}"#
        try await connection.send("SET", keyspace.suppression(0, user: "ivy"), stored)
        try await fleet.feedback(connection, [
            TestJourneys.track("ivy", "Email Bounced", messageId: "b-1", properties: #"{"email":"ivy@other.example","bounceType":"hard"}"#),
        ])
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        // A producer's unsubscribe changes the record too; jon's, behind both, marks when they were read.
        try await fleet.produce(connection, [
            TestJourneys.track("ivy", "Unsubscribed", messageId: "u-1", properties: #"{"channel":"email"}"#),
            TestJourneys.track("jon", "Unsubscribed", messageId: "u-2", properties: #"{"channel":"email"}"#),
        ])
        #expect(try await eventually(timeout: 20) { try await connection.send("EXISTS", keyspace.suppression(0, user: "jon")).int == 1 })
        #expect(try await eventually(timeout: 10) { try await fleet.deadLetters(connection).count == 2 })
        let dead = try await fleet.deadLetters(connection)
        #expect(dead.map { $0["original.kind"] } == ["feedback", "event"])
        for (entry, event) in zip(dead, ["Email Bounced", "Unsubscribed"]) {
            let reason = entry["error"] ?? ""
            #expect(reason.contains("suppression record of user 'ivy' in partition 0"), "\(reason)")
            #expect(reason.contains("suppression entry 0 has a missing or invalid 'since'") && reason.contains("'\(event)' was not applied"), "\(reason)")
        }
        #expect(try await connection.send("GET", keyspace.suppression(0, user: "ivy")).string == stored, "the stored record is unchanged")
        _ = fleet.stopAll()
    }
}
