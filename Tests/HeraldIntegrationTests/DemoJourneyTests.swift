import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// scripts/demo's copy of the abandoned-cart journey (scripts/lib/demo_journey.py, waits of 5 s and
/// 10 s) sends the cart reminder email and then the SMS on a real fleet within a demo's run.
@Suite struct DemoJourneyTests {
    @Test func theDemoCopyOfAbandonedCartSendsTheEmailThenTheSMS() async throws {
        let root = Executables.packageRoot
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("abandoned-cart-demo-\(UUID().uuidString.prefix(8)).json")
        defer { try? FileManager.default.removeItem(at: copy) }
        let generator = try ChildProcess(
            path: "/usr/bin/env",
            arguments: ["python3", root.appendingPathComponent("scripts/lib/demo_journey.py").path,
                        root.appendingPathComponent("config/journeys/abandoned-cart.json").path, copy.path, "5s", "10s"],
            environment: ProcessInfo.processInfo.environment, output: nil)
        #expect(generator.wait() == 0)
        let document = try String(contentsOf: copy, encoding: .utf8)
        let journey = try #require(try JSONValue.parse(document).objectValue)
        #expect(journey["id"]?.stringValue == "abandoned-cart-demo")
        #expect(journey["steps"]?.arrayValue?.compactMap { $0["wait"]?["duration"]?.stringValue } == ["5s", "10s"])

        let fleet = try FleetHarness(journeys: [document])
        // What scripts/demo runs: heraldctl publishes it, templates checked against config/templates.
        let publish = try CtlRunner.run(fleet, ["journeys", "publish", fleet.journeys.path])
        #expect(publish.code == 0 && publish.output.contains("abandoned-cart-demo v1 published"), "\(publish.output)")
        let connection = fleet.redis.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender", "herald-sms-sender"] { try fleet.start(name) }
        let identify = #"{"type":"identify","messageId":"demo-i","userId":"u-alice","traits":{"email":"alice@example.com","phone":"+12125550101","firstName":"Alice"},"timestamp":"\#(TestTime.recent)"}"#
        let cart = #"{"type":"track","messageId":"demo-c","userId":"u-alice","event":"Cart Updated","properties":{"cart_id":"c-1001","item_count":2,"total":89.5,"cart_url":"https://shop.example.com/cart/c-1001"},"timestamp":"\#(TestTime.recentPlusOne)"}"#
        let produced = Int64(Date().timeIntervalSince1970 * 1000)
        try await fleet.produce(connection, [identify, cart])
        #expect(try await eventually(timeout: 45) {
            try await fleet.deliveries(connection).contains { $0["step"] == "sms-reminder" && $0["status"] == "sent" }
        })
        let sent = try await fleet.deliveries(connection).filter { $0["userId"] == "u-alice" && $0["status"] == "sent" }
        #expect(sent.map { $0["step"] } == ["email-reminder", "sms-reminder"], "the email first, then the SMS: \(sent.map(\.fields))")
        // Timers never fire early: the email waits its 5 s, the SMS 10 s more (less 0.5 s of
        // clock granularity between this process and Redis).
        if let email = sent.first, let sms = sent.last {
            #expect(email.timestampMilliseconds - produced >= 4_500, "the email waits its 5 s")
            #expect(sms.timestampMilliseconds - produced >= 14_500, "the SMS waits 10 s more")
        }
        let emails = fleet.emails()
        #expect(emails.count == 1)
        let message = try String(contentsOf: try #require(emails.first), encoding: .utf8)
        #expect(message.contains("To: alice@example.com") && message.contains("Subject: Alice, your cart at Herald Shop is waiting"))
        let texts = try FileManager.default.contentsOfDirectory(at: fleet.outbox.appendingPathComponent("sms"), includingPropertiesForKeys: nil)
        #expect(texts.count == 1)
        let text = try JSONValue.parse(Array(try Data(contentsOf: try #require(texts.first))))
        #expect(text["to"]?.stringValue == "+12125550101" && text["text"]?.stringValue?.contains("https://shop.example.com/cart/c-1001") == true, "\(text)")
        _ = fleet.stopAll()
    }
}
