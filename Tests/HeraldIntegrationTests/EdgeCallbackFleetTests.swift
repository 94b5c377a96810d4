import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// Provider callbacks, opens and clicks end to end: the real fleet on real Redis, the edge's routes
/// on a real `HTTPServer`, and real clients (curl; Twilio's `RequestValidator` and the
/// `standardwebhooks` library computing the signatures). What the edge writes is Herald's own
/// feedback, applied by the evaluator: statuses in `herald:deliveries`, the trail and
/// `channels stats`; suppressions; and journeys see the events (triggers, goals).
@Suite(.serialized) struct EdgeCallbackFleetTests {
    static let twilioToken = "edge-test-twilio-token"
    static let feedbackSecret = "whsec_" + Data("edge-test-feedback-secret-012345".utf8).base64EncodedString()
    static let linkSecret = "edge-test-link-secret-" + UUID().uuidString

    /// A tracked cart reminder whose goal is a click, and a journey that starts on an open.
    static let tracked = #"""
        {"id": "test-tracked", "name": "Tracked cart reminder",
         "trigger": {"behaviour": {"event": "Cart Viewed"}},
         "entry": {"reentry": "always"},
         "goal": {"event": "Message Clicked", "within": "1d"},
         "steps": [{"id": "mail", "send": {"channel": "email", "template": "cart-reminder", "category": "marketing",
                                         "tracking": {"clicks": true, "opens": true}}},
                   {"id": "hold", "wait": {"duration": "1d"}}]}
        """#
    static let onOpen = #"""
        {"id": "test-on-open", "name": "Starts on an open",
         "trigger": {"behaviour": {"event": "Message Opened"}},
         "entry": {"reentry": "always"},
         "steps": [{"id": "hold", "wait": {"duration": "1d"}}]}
        """#

    static let exitOnClick = #"""
        {"id": "test-exit-on-click", "name": "Ends on a click",
         "trigger": {"behaviour": {"event": "Cart Viewed"}},
         "entry": {"reentry": "always"},
         "exit": {"on": [{"event": "Message Clicked"}]},
         "steps": [{"id": "hold", "wait": {"duration": "1d"}}]}
        """#

    /// The HTML part of an `.eml`, decoded by Python's `email` package.
    static func htmlPart(_ eml: URL) throws -> String {
        let script = """
            import email, json, sys
            from email import policy
            message = email.message_from_bytes(open(json.load(sys.stdin), "rb").read(), policy=policy.default)
            print(json.dumps(message.get_body(preferencelist=("html",)).get_content()))
            """
        return try PythonScript.run(script, input: .string(eml.path)).stringValue ?? ""
    }

    @Test(arguments: RedisMode.allCases) func aClickThroughTheEdgeRedirectsConvertsAGoalAndEndsAJourneyAndAnOpenStartsOne(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [Self.tracked, Self.onOpen, Self.exitOnClick], mode: mode)
        let edge = try CallbackEdge(fleet: fleet, twilioToken: Self.twilioToken, feedbackSecret: Self.feedbackSecret, linkSecret: Self.linkSecret)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        try fleet.start("herald-email-sender", [
            "HERALD_EDGE_LINK_SECRET": Self.linkSecret, "HERALD_TRACKING_URL": edge.baseURL, "HERALD_UNSUBSCRIBE_URL": "https://herald.test/unsubscribe",
        ])
        let cartURL = "https://shop.example.com/cart/c-1?utm_source=herald&step=mail"
        try await fleet.produce(connection, [
            TestJourneys.identify("tia", messageId: "i-tia"),
            TestJourneys.track("tia", "Cart Viewed", messageId: "cv-1", properties: #"{"cart_id":"c-1","cart_url":"\#(cartURL)"}"#),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        let key = try #require(try await fleet.deliveries(connection).first?["id"])
        let eml = try #require(fleet.emails().first)
        let html = try Self.htmlPart(eml)
        // The cart link is the edge's click URL; the unsubscribe link is left alone; the pixel is there.
        #expect(!html.contains("href=\"https://shop.example.com/cart"), "the cart link was rewritten")
        #expect(html.contains("href=\"https://herald.test/unsubscribe?token="))
        let click = try #require(html.firstMatch(of: /href="(http:\/\/127\.0\.0\.1:\d+\/c\/[A-Za-z0-9_.-]+)"/)).output.1
        let pixel = try #require(html.firstMatch(of: /src="(http:\/\/127\.0\.0\.1:\d+\/o\/[A-Za-z0-9_.-]+\.gif)"/)).output.1

        let opened = try Curl.run([String(pixel)])
        #expect(opened.status == 200 && opened.headers["content-type"] == "image/gif" && opened.body.starts(with: Array("GIF89a".utf8)))
        let clicked = try Curl.run([String(click)])
        #expect(clicked.status == 302 && clicked.headers["location"] == cartURL)
        // An altered click URL is refused and redirects nowhere.
        let forged = try Curl.run([String(click.dropLast(3)) + "AAA"])
        #expect(forged.status == 403 && forged.headers["location"] == nil)

        // The goal converts on the click; the open started the other journey.
        #expect(try await eventually(timeout: 20) { try await !fleet.trail(connection, user: "tia", journey: "test-tracked", kind: "goalReached").isEmpty })
        let goal = try #require(try await fleet.trail(connection, user: "tia", journey: "test-tracked", kind: "goalReached").first)
        #expect(goal["attributedStep"]?.stringValue == "mail")
        #expect(try await eventually { try await !fleet.trail(connection, user: "tia", journey: "test-on-open", kind: "entered").isEmpty })
        #expect(try await eventually {
            try await fleet.trail(connection, user: "tia", journey: "test-exit-on-click", kind: "exited").contains { $0["reason"]?.stringValue == "exitEvent: Message Clicked" }
        }, "the click ended the journey that exits on it")
        // The statuses are recorded for the delivery, in the trail, and counted in channels stats.
        #expect(try await eventually { try await fleet.deliveries(connection).filter { $0["source"] == "feedback" }.count == 2 })
        let feedback = try await fleet.deliveries(connection).filter { $0["source"] == "feedback" }
        #expect(feedback.map { $0["status"] } == ["opened", "clicked"])
        #expect(feedback.allSatisfy { $0["id"] == key && $0["userId"] == "tia" && $0["channel"] == "email" })
        let reported = try await fleet.trail(connection, user: "tia", kind: "reported")
        #expect(reported.count == 2, "\(reported)")
        let stats = try CtlRunner.run(fleet, ["channels", "stats", "--json"])
        let json = try JSONValue.parse(stats.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(json["email"]?["opened"]?.numberValue == 1 && json["email"]?["clicked"]?.numberValue == 1 && json["email"]?["sent"]?.numberValue == 1)
        #expect(edge.metrics.value(.edgeCallbacksRefused, ["route": "links.click", "reason": "bad_signature"]) == 1)
        await edge.stop()
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func twilioStatusCallbacksSignedLikeTwilioUpdateTheDeliveryAndSuppressADeadNumber(mode: RedisMode) async throws {
        let twilio = try await FleetPeer.twilio(account: "ACtest", token: "twilio-api-token")
        let config = try TestConfig(templates: ["sms-note": ["body.mustache": "Order for {{userId}} confirmed"]])
        let fleet = try FleetHarness(journeys: [MetricsExpositionTests.smsJourney], mode: mode)
        let edge = try CallbackEdge(fleet: fleet, twilioToken: Self.twilioToken, feedbackSecret: Self.feedbackSecret, linkSecret: Self.linkSecret)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        try fleet.start("herald-sms-sender", [
            "HERALD_CONFIG_DIR": config.path, "HERALD_TWILIO_ACCOUNT_SID": "ACtest", "HERALD_TWILIO_AUTH_TOKEN": "twilio-api-token",
            "HERALD_TWILIO_FROM": "+15005550006", "HERALD_TWILIO_BASE_URL": twilio.baseURL,
            "HERALD_TWILIO_STATUS_CALLBACK": edge.baseURL + "/callbacks/twilio",
        ])
        try await fleet.produce(connection, [
            #"{"type":"identify","messageId":"i-ugo","userId":"ugo@example.com","traits":{"phone":"+4915112345678"},"timestamp":"\#(TestTime.recent)"}"#,
            TestJourneys.track("ugo@example.com", "Order Completed", messageId: "o-1", properties: #"{"order_id":"o-1","total":5}"#),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        let sent = try #require(try await fleet.deliveries(connection).first)
        let key = try #require(sent["id"])
        let sid = try #require(sent["providerMessageId"])
        // The callback URL the sender gave Twilio names the user, the message and the channel.
        let callback = try #require(try twilio.records().first?["form"]?["StatusCallback"]?.stringValue)
        #expect(callback.hasPrefix(edge.baseURL + "/callbacks/twilio?u=ugo%40example.com&k="))
        func post(_ form: [String: String], token: String = Self.twilioToken) throws -> Curl.Response {
            let signature = try PythonScript.twilioSignature(token: token, url: callback, params: form)
            return try Curl.run(["-H", "X-Twilio-Signature: \(signature)"] + form.sorted { $0.key < $1.key }.flatMap { ["--data-urlencode", "\($0.key)=\($0.value)"] } + [callback])
        }
        let base = ["MessageSid": sid, "AccountSid": "ACtest", "To": "+4915112345678", "From": "+15005550006", "ApiVersion": "2010-04-01"]
        #expect(try post(base.merging(["MessageStatus": "sent", "SmsStatus": "sent"]) { $1 }).status == 200)
        #expect(try post(base.merging(["MessageStatus": "delivered", "SmsStatus": "delivered"]) { $1 }).status == 200)
        // Twilio retrying the same callback: written once (the count below stays 1).
        #expect(try post(base.merging(["MessageStatus": "delivered", "SmsStatus": "delivered"]) { $1 }).status == 200)
        // Forged: signed with another token.
        #expect(try post(base.merging(["MessageStatus": "failed", "ErrorCode": "30006"]) { $1 }, token: "guessed").status == 403)
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["source"] == "feedback" } })
        let partition = fleet.keyspace.partition(ofUser: "ugo@example.com")
        #expect(try await connection.send("HGET", fleet.keyspace.deliveryStats(partition), "sms:delivered").string == "1")
        // A later failure for a landline number (30006) suppresses the number.
        #expect(try post(base.merging(["MessageStatus": "undelivered", "ErrorCode": "30006"]) { $1 }).status == 200)
        #expect(try await eventually(timeout: 20) {
            let record = try await connection.send("GET", fleet.keyspace.suppression(partition, user: "ugo@example.com")).string ?? ""
            return record.contains(#""address":"+4915112345678""#) && record.contains("hard_bounce")
        })
        // The status record is appended to the delivery-record shard just after the partition's
        // script applied the suppression (its own step, another hash tag): wait for it too.
        #expect(try await eventually(timeout: 20) {
            try await fleet.deliveries(connection).filter { $0["source"] == "feedback" }.count >= 2
        })
        let feedback = try await fleet.deliveries(connection).filter { $0["source"] == "feedback" }
        #expect(feedback.map { $0["status"] } == ["delivered", "bounced"], "sent is not feedback; the forged failure changed nothing")
        #expect(feedback.allSatisfy { $0["id"] == key })
        #expect(edge.metrics.value(.edgeCallbacksRefused, ["route": "callbacks.twilio", "reason": "bad_signature"]) == 1)
        await edge.stop()
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aSignedComplaintFromAnEmailProviderSuppressesTheAddressOnce(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt], mode: mode)
        let edge = try CallbackEdge(fleet: fleet, twilioToken: Self.twilioToken, feedbackSecret: Self.feedbackSecret, linkSecret: Self.linkSecret)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        let body = #"{"type":"complaint","userId":"vic","address":"vic@example.com","provider":"ses"}"#
        let headers = try PythonScript.standardWebhookHeaders(secret: Self.feedbackSecret, id: "msg_c1", timestamp: Int(Date().timeIntervalSince1970), body: body)
        let arguments = headers.sorted { $0.key < $1.key }.flatMap { ["-H", "\($0.key): \($0.value)"] }
        let accepted = try Curl.run(arguments + ["-H", "Content-Type: application/json", "--data-binary", body, edge.baseURL + "/callbacks/feedback"])
        #expect(accepted.status == 200 && accepted.text == #"{"accepted":1,"messageIds":["edge-feedback-msg_c1"]}"#)
        // The provider redelivers the same webhook: answered 200 again, written once.
        let again = try Curl.run(arguments + ["-H", "Content-Type: application/json", "--data-binary", body, edge.baseURL + "/callbacks/feedback"])
        #expect(again.status == 200)
        let unsigned = try Curl.run(["-H", "Content-Type: application/json", "--data-binary", body, edge.baseURL + "/callbacks/feedback"])
        #expect(unsigned.status == 403)
        let partition = fleet.keyspace.partition(ofUser: "vic")
        #expect(try await eventually(timeout: 20) {
            (try await connection.send("GET", fleet.keyspace.suppression(partition, user: "vic")).string ?? "").contains("complaint")
        })
        let entries = RedisConnection.parseEntries(
            try await connection.send("XRANGE", fleet.keyspace.events(partition), "-", "+").array ?? [], stream: fleet.keyspace.events(partition))
        #expect(entries.filter { $0["kind"] == "feedback" }.map { $0["messageId"] } == ["edge-feedback-msg_c1"], "one entry for two deliveries")
        await edge.stop()
        _ = fleet.stopAll()
    }
}
