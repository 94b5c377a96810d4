import Foundation
import HeraldCore
import Testing

@testable import HeraldFleet

/// A redelivered input (a crash after applying, before acknowledging) is neither applied nor
/// evaluated again, even when it arrives in one batch with inputs that were never applied.
@Suite struct EvaluatorRedeliveryTests {
    @Test func anAppliedInputRedeliveredWithANewOneIsNotCountedTwice() async throws {
        let fleet = try FleetHarness(partitions: 1, journeys: [#"""
            {"id": "second-order", "name": "Second order",
             "trigger": {"milestone": {"event": "Order Completed", "count": 2}},
             "steps": [{"id": "thanks", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}]}
            """#])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        let keyspace = fleet.keyspace
        let handler = try await fleet.evaluatorHandler(connection)
        for n in 1...2 {
            let event = try JSONValue.parse(TestJourneys.track("u", "Order Completed", messageId: "o-\(n)"))
            try await connection.xadd(keyspace.events(0), fields: [("kind", "event"), ("event", event.serialized())])
        }
        let entries = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.events(0), "-", "+").array ?? [], stream: keyspace.events(0))
        #expect(try await handler.handle([entries[0]], connection: connection) == [.done])
        // The first input is delivered again together with the second.
        #expect(try await handler.handle(entries, connection: connection) == [.done, .done])
        // Counting the first order twice would make the second order the third: no milestone.
        #expect(try await connection.send("XLEN", keyspace.outbox(0, .email)).int == 1, "the second order is the milestone, once")
        let requests = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.outbox(0, .email), "-", "+").array ?? [], stream: keyspace.outbox(0, .email))
        let request = try SendRequest(json: try JSONValue.parse(try #require(requests.first?.bytes("request"))))
        #expect(request.context["event"]?["messageId"] == "o-2")
    }
}
