import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// The real Segment and RudderStack Python SDKs from PyPI, their `host` pointed at `herald-edge`:
/// what they send comes out of the real fleet as email.
@Suite struct SegmentSDKTests {
    static let journey = #"""
        {"id": "sdk-welcome", "name": "SDK welcome",
         "trigger": {"behaviour": {"event": "Signed Up"}},
         "entry": {"reentry": "never"},
         "steps": [{"id": "hello", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}]}
        """#

    /// Each SDK identifies a user, tracks `Signed Up` and sends a page view, in sync mode (one
    /// request per call, so a refusal raises), Segment's with gzip on, RudderStack's with its default gzip.
    static let script = #"""
        import sys
        from segment.analytics.client import Client as SegmentClient
        from rudderstack.analytics.client import Client as RudderClient
        host, key = sys.argv[1], sys.argv[2]
        errors = []
        def failed(error, batch): errors.append(str(error))
        for name, client, user in [
            ("segment", SegmentClient(write_key=key, host=host, sync_mode=True, gzip=True, on_error=failed, max_retries=0), "seg-ann"),
            ("rudder", RudderClient(write_key=key, host=host, sync_mode=True, on_error=failed, max_retries=0), "rud-bob"),
        ]:
            client.identify(user, {"email": user + "@example.com", "firstName": name.capitalize()})
            client.track(user, "Signed Up", {"plan": "pro", "sdk": name})
            client.page(user, name="Pricing", properties={"url": "https://shop.example/pricing"})
            client.flush()
        if errors:
            print("errors:", errors)
            sys.exit(1)
        print("sent")
        """#

    @Test(arguments: RedisMode.allCases) func eventsSentByTheSegmentAndRudderStackSDKsBecomeEmailsThroughTheFleet(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [Self.journey], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        let key = "wk_sdk_" + UUID().uuidString
        // The edge's port comes from this suite's range (23000–24999).
        let port = try FreePort.find()
        let edge = try fleet.start("herald-edge", [
            "HERALD_EDGE_HOST": "127.0.0.1", "HERALD_EDGE_PORT": String(port), "HERALD_EDGE_WRITE_KEYS": "another-key," + key,
        ])
        #expect(try await eventually { LoopbackHTTP.get(port: port, "/readyz")?.status == 200 }, "\(edge.log)")
        for name in ["herald-ingestor", "herald-evaluator", "herald-email-sender"] { try fleet.start(name) }

        let run = try PythonScript.run(Self.script, arguments: ["http://127.0.0.1:\(port)", key])
        #expect(run.status == 0 && run.output.contains("sent"), "\(run.output)\n\(edge.log)")

        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count == 2 })
        let deliveries = try await fleet.deliveries(connection)
        #expect(Set(deliveries.compactMap { $0["userId"] }) == ["seg-ann", "rud-bob"])
        let recipients = try fleet.emails().map { try String(contentsOf: $0, encoding: .utf8) }
        #expect(recipients.contains { $0.contains("To: seg-ann@example.com") } && recipients.contains { $0.contains("To: rud-bob@example.com") })

        // Each SDK message reached a partition as the ingestor accepted it, with the SDK's own fields.
        let events = try await connection.allEntries(of: fleet.keyspace.allPartitions.map { fleet.keyspace.events($0) })
            .compactMap { $0["event"] }.map { try Event.validate(payload: Array($0.utf8)) }
        for (user, library) in [("seg-ann", "analytics-python"), ("rud-bob", "analytics-python")] {
            let mine = events.filter { $0.userId == user }
            #expect(Set(mine.map(\.type)) == [.identify, .track, .page], "\(user): \(events.map { ($0.userKey, $0.type) })")
            #expect(mine.first { $0.type == .identify }?.traits["email"] == .string(user + "@example.com"))
            #expect(mine.allSatisfy { $0.context["library"]?["name"]?.stringValue == library }, "the SDK's context is kept")
            let track = try #require(mine.first { $0.type == .track })
            #expect(track.event == "Signed Up" && track.properties["plan"] == "pro" && abs(track.timestamp.timeIntervalSinceNow) < 120)
            #expect(mine.first { $0.type == .page }?.name == "Pricing")
        }
        #expect(try await fleet.rejected(connection).isEmpty, "nothing the SDKs sent was refused")
        #expect(!edge.log.contains(key), "the write key is never logged")

        // A wrong key is refused and the SDK says so.
        let refused = try PythonScript.run(Self.script, arguments: ["http://127.0.0.1:\(port)", "not-a-key"])
        #expect(refused.status != 0)
        _ = fleet.stopAll()
    }
}
