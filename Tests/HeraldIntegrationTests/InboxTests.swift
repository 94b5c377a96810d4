import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// In-app messages through the fleet into the Redis inbox, read with `heraldctl inbox`.
@Suite struct InboxTests {
    static let note = #"""
        {"id": "test-note", "name": "Test note",
         "trigger": {"behaviour": {"event": "Order Completed"}},
         "entry": {"reentry": "always"},
         "steps": [{"id": "note", "send": {"channel": "inapp", "template": "note", "category": "transactional"}}]}
        """#

    @Test(arguments: RedisMode.allCases) func heraldctlInboxShowsNewestFirstWithTheUnreadCountAndMarksRead(mode: RedisMode) async throws {
        let config = try TestConfig(templates: ["note": ["title.mustache": "Thanks, {{userId}}", "body.mustache": "Order {{event.properties.order_id}} is confirmed"]])
        let fleet = try FleetHarness(journeys: [Self.note], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-inapp-sender"] { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        try await fleet.produce(connection, [
            TestJourneys.identify("lee", messageId: "i-lee"),
            TestJourneys.track("lee", "Order Completed", messageId: "o-1", properties: #"{"order_id":"o-1"}"#),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 1 })
        try await fleet.produce(connection, [TestJourneys.track("lee", "Order Completed", messageId: "o-2", properties: #"{"order_id":"o-2"}"#)])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        #expect(try await fleet.deliveries(connection).allSatisfy { $0["status"] == "sent" && $0["provider"] == "inbox" })

        let listed = try CtlRunner.run(fleet, ["inbox", "lee", "--count", "5"])
        #expect(listed.code == 0)
        let lines = listed.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "unread: 2")
        let messages = try lines.dropFirst().map { try JSONValue.parse($0) }
        #expect(messages.count == 2)
        #expect(messages.first?["title"]?.stringValue == "Thanks, lee")
        #expect(messages.compactMap { $0["body"]?.stringValue } == ["Order o-2 is confirmed", "Order o-1 is confirmed"], "newest first")

        let marked = try CtlRunner.run(fleet, ["inbox", "lee", "--count", "1", "--mark-read"])
        #expect(marked.code == 0 && marked.output.hasPrefix("unread: 2\n") && marked.output.contains("marked read"))
        #expect(marked.output.split(separator: "\n").count == 3, "--count 1 prints one message")
        let after = try CtlRunner.run(fleet, ["inbox", "lee"])
        #expect(after.output.hasPrefix("unread: 0\n"))
        #expect(after.output.split(separator: "\n").count == 3, "marking read keeps the messages")
        _ = fleet.stopAll()
    }
}
