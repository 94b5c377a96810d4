import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// Providers driven through the whole fleet (producer XADD → ingestor → evaluator → sender) against
/// real protocol peers: an aiosmtpd SMTP server and a standardwebhooks-verifying HTTP receiver.
@Suite struct ProviderEndToEndTests {
    static let secret = "whsec_" + Data("herald-fleet-test-secret-0123456789".utf8).base64EncodedString()

    static func hookJourney(template: String = "hook") -> String {
        #"""
        {"id": "test-hook", "name": "Test hook",
         "trigger": {"behaviour": {"event": "Order Completed"}},
         "entry": {"reentry": "always"},
         "steps": [{"id": "notify", "send": {"channel": "webhook", "template": "\#(template)", "category": "transactional"}}]}
        """#
    }

    static let broken = #"""
        {"id": "test-broken", "name": "Test broken",
         "trigger": {"behaviour": {"event": "Broken Thing"}},
         "entry": {"reentry": "always"},
         "steps": [{"id": "oops", "send": {"channel": "email", "template": "no-subject", "category": "transactional"}}]}
        """#

    static let templates = [
        "hook": ["body.mustache": #"{"user":"{{userId}}","kind":"order"}"#],
        "no-subject": ["text.mustache": "Hello {{userId}}"],
    ]

    static func order(_ user: String, _ id: String) -> [String] {
        [TestJourneys.identify(user, messageId: "i-\(user)"),
         TestJourneys.track(user, "Order Completed", messageId: id, properties: #"{"order_id":"\#(id)","total":5}"#)]
    }

    /// A fleet with the webhook journey, a verifying webhook peer and the shipped-config override;
    /// `processes` start now, the webhook sender via `startSender`.
    struct WebhookFleet {
        let peer: FleetPeer
        let config: TestConfig
        let fleet: FleetHarness
        let connection: RedisConnection

        init(_ processes: [String]) async throws {
            peer = try await FleetPeer.webhook(secret: ProviderEndToEndTests.secret)
            config = try TestConfig(templates: ProviderEndToEndTests.templates)
            fleet = try FleetHarness(journeys: [ProviderEndToEndTests.hookJourney()])
            try await fleet.publishJourneys()
            connection = fleet.redis.connection()
            for name in processes { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        }

        /// Starts the webhook sender posting to `path` on the peer.
        func startSender(path: String, _ extra: [String: String] = [:]) throws {
            try fleet.start("herald-webhook-sender", [
                "HERALD_CONFIG_DIR": config.path, "HERALD_WEBHOOK_SECRET": ProviderEndToEndTests.secret,
                "HERALD_WEBHOOK_URL": peer.baseURL + path,
            ].merging(extra) { _, new in new })
        }
    }

    @Test(arguments: RedisMode.allCases) func emailGoesThroughARealSMTPServerAsMultipartWithOneClickUnsubscribe(mode: RedisMode) async throws {
        let smtp = try await FleetPeer.smtp()
        let fleet = try FleetHarness(journeys: [DeliveryFeedbackTests.promo], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        try fleet.start("herald-email-sender", [
            "HERALD_SMTP_URL": "smtp://127.0.0.1:\(smtp.port)?tls=none", "HERALD_EMAIL_FROM": "shop@herald.test",
            "HERALD_UNSUBSCRIBE_URL": "https://herald.test/unsubscribe",
        ])
        try await fleet.produce(connection, [TestJourneys.identify("gus", messageId: "i-gus"), TestJourneys.track("gus", "Promo Viewed", messageId: "p-1")])
        #expect(try await eventually(timeout: 20) { try smtp.records().count == 1 })
        let mail = try #require(try smtp.records().first)
        #expect(mail["rcpt_tos"] == .array(["gus@example.com"]))
        #expect(mail["from_address"]?.stringValue == "shop@herald.test")
        #expect(mail["content_type"]?.stringValue == "multipart/alternative")
        let parts = mail["parts"]?.arrayValue ?? []
        #expect(parts.compactMap { $0["content_type"]?.stringValue } == ["text/plain", "text/html"])
        #expect(mail["defects"]?.arrayValue?.isEmpty == true)
        let headers = try #require(mail["headers"])
        #expect(headers["list-unsubscribe"]?.stringValue?.hasPrefix("<https://herald.test/unsubscribe?token=") == true)
        #expect(headers["list-unsubscribe-post"]?.stringValue == "List-Unsubscribe=One-Click")
        let messageID = try #require(mail["message_id"]?.stringValue)
        #expect(messageID.hasPrefix("<") && messageID.hasSuffix("@herald.test>"))
        #expect(try await eventually { try await fleet.deliveries(connection).first?["status"] == "sent" })
        let delivery = try #require(try await fleet.deliveries(connection).first)
        #expect(delivery["provider"] == "smtp" && delivery["providerMessageId"] == messageID)
        _ = fleet.stopAll()
    }

    @Test func aWebhookIsSignedSoStandardWebhooksVerifiesIt() async throws {
        let setup = try await WebhookFleet(["herald-ingestor", "herald-evaluator"])
        let (peer, fleet, connection) = (setup.peer, setup.fleet, setup.connection)
        try setup.startSender(path: "/hook")
        try await fleet.produce(connection, Self.order("hal", "o-1"))
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).first?["status"] == "sent" })
        let record = try #require(try peer.records().first)
        #expect(record["verified"]?.boolValue == true && record["answered"]?.numberValue == 204)
        let delivery = try #require(try await fleet.deliveries(connection).first)
        #expect(record["headers"]?["webhook-id"]?.stringValue == delivery["id"])
        let body = try JSONValue.parse(try #require(record["body"]?.stringValue))
        #expect(body["type"]?.stringValue == "herald.message" && body["userId"]?.stringValue == "hal")
        #expect(body["data"]?["user"]?.stringValue == "hal" && body["journey"]?.stringValue == "test-hook")
        _ = fleet.stopAll()
    }

    @Test func aRetryableFailureIsRetriedThroughTheSchedulerAndSentOnce() async throws {
        let setup = try await WebhookFleet(["herald-ingestor", "herald-evaluator", "herald-scheduler"])
        let (peer, fleet, connection) = (setup.peer, setup.fleet, setup.connection)
        try setup.startSender(path: "/flaky/2", ["HERALD_RETRY_BASE_MS": "400"])
        try await fleet.produce(connection, Self.order("ida", "o-1"))
        #expect(try await eventually(timeout: 30) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        #expect(try await eventually { try await fleet.drained(connection) }, "no attempt left in flight or scheduled")
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.map { $0["status"] } == ["retrying", "retrying", "sent"])
        #expect(deliveries.map { $0["attempt"] } == ["1", "2", "3"])
        #expect(Set(deliveries.compactMap { $0["id"] }).count == 1, "one message, three attempts")
        let attempts = try peer.records()
        #expect(attempts.compactMap { $0["answered"]?.numberValue } == [503, 503, 204], "the provider accepted it exactly once")
        #expect(attempts.allSatisfy { $0["verified"]?.boolValue == true })
        // The retry went through the scheduler: its timer fired and is gone.
        let partition = fleet.keyspace.partition(ofUser: "ida")
        #expect(try await connection.send("ZCARD", fleet.keyspace.timers(partition)).int == 0)
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func anAddressTheSMTPServerRefusesIsBouncedAndSuppressedForTheNextMessage(mode: RedisMode) async throws {
        let smtp = try await FleetPeer.smtp()
        let fleet = try FleetHarness(journeys: [DeliveryFeedbackTests.promo], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        try fleet.start("herald-email-sender", ["HERALD_SMTP_URL": "smtp://127.0.0.1:\(smtp.port)?tls=none", "HERALD_EMAIL_FROM": "shop@herald.test"])
        // The peer answers 550 at RCPT TO for local parts starting with "reject".
        try await fleet.produce(connection, [TestJourneys.identify("reject-amy", messageId: "i-amy"), TestJourneys.track("reject-amy", "Promo Viewed", messageId: "p-1")])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "bounced" } })
        // The bounce comes back as the documented feedback event and suppresses the address.
        let partition = fleet.keyspace.partition(ofUser: "reject-amy")
        #expect(try await eventually { try await connection.send("GET", fleet.keyspace.suppression(partition, user: "reject-amy")).string?.contains("hard_bounce") == true })
        try await fleet.produce(connection, [TestJourneys.track("reject-amy", "Promo Viewed", messageId: "p-2")])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "suppressed" && $0["reason"] == "hard_bounce" } })
        #expect(try smtp.records().isEmpty, "nothing reached the refused mailbox")
        // The bounce is counted once: by the sender, not again when its feedback event comes back.
        #expect(try await fleet.deliveries(connection).filter { $0["status"] == "bounced" }.count == 1)
        #expect(try await connection.send("HGET", fleet.keyspace.deliveryStats(partition), "email:bounced").string == "1")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aNumberTwilioRefusesIsSuppressedByTheEvaluatorForTheNextMessage(mode: RedisMode) async throws {
        let twilio = try await FleetPeer.twilio(account: "ACtest", token: "twilio-test-token")
        let config = try TestConfig(templates: ["sms-note": ["body.mustache": "Order for {{userId}} confirmed"]])
        let fleet = try FleetHarness(journeys: [#"""
            {"id": "test-sms", "name": "Test SMS receipt",
             "trigger": {"behaviour": {"event": "Order Completed"}},
             "entry": {"reentry": "always"},
             "steps": [{"id": "text", "send": {"channel": "sms", "template": "sms-note", "category": "transactional"}}]}
            """#], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        try fleet.start("herald-sms-sender", [
            "HERALD_CONFIG_DIR": config.path, "HERALD_TWILIO_ACCOUNT_SID": "ACtest", "HERALD_TWILIO_AUTH_TOKEN": "twilio-test-token",
            "HERALD_TWILIO_FROM": "+15005550006", "HERALD_TWILIO_BASE_URL": twilio.baseURL,
        ])
        // Twilio answers 400 with error 21211 (not a valid number) for +15005550001.
        try await fleet.produce(connection, [
            #"{"type":"identify","messageId":"i-lou","userId":"lou","traits":{"phone":"+15005550001"},"timestamp":"\#(TestTime.recent)"}"#,
            TestJourneys.track("lou", "Order Completed", messageId: "o-1", properties: #"{"order_id":"o-1","total":5}"#),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "bounced" } })
        // The sender reports the refusal as Herald's feedback on the partition stream, and the
        // evaluator writes the record. The entry itself may already be acknowledged and trimmed
        // by now; the record shows it arrived as kind=feedback, the only kind whose bounces change
        // suppressions (FeedbackEventsTests, DeliveryFeedbackTests).
        let partition = fleet.keyspace.partition(ofUser: "lou")
        #expect(try await eventually {
            let record = try await connection.send("GET", fleet.keyspace.suppression(partition, user: "lou")).string ?? ""
            return record.contains(#""channel":"sms""#) && record.contains(#""address":"+15005550001""#) && record.contains("hard_bounce")
        })
        try await fleet.produce(connection, [TestJourneys.track("lou", "Order Completed", messageId: "o-2", properties: #"{"order_id":"o-2","total":5}"#)])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "suppressed" && $0["reason"] == "hard_bounce" } })
        #expect(try twilio.records().count == 1, "the refused number was not tried again")
        #expect(try await fleet.deliveries(connection).filter { $0["status"] == "bounced" }.count == 1)
        #expect(try await connection.send("HGET", fleet.keyspace.deliveryStats(partition), "sms:bounced").string == "1", "counted once, by the sender")
        _ = fleet.stopAll()
    }

    @Test func afterTheLastAttemptTheMessageIsDeadLetteredWithItsWholeHistory() async throws {
        let setup = try await WebhookFleet(["herald-ingestor", "herald-evaluator", "herald-scheduler"])
        let (peer, fleet, connection) = (setup.peer, setup.fleet, setup.connection)
        try setup.startSender(path: "/status/503", ["HERALD_RETRY_BASE_MS": "200", "HERALD_RETRY_MAX_ATTEMPTS": "3"])
        try await fleet.produce(connection, Self.order("max", "o-1"))
        #expect(try await eventually(timeout: 30) { try await fleet.deadLetters(connection).count == 1 })
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.map { $0["status"] } == ["retrying", "retrying", "failed"])
        let dead = try await fleet.deadLetters(connection)
        let letter = try DeadLetter(entry: try #require(dead.first))
        let request = try JSONValue.parse(try #require(letter.originalBytes("request")))
        let history = request["context"]?["history"]?.arrayValue ?? []
        #expect(history.compactMap { $0["attempt"]?.numberValue } == [1, 2, 3], "every attempt, in order")
        #expect(history.allSatisfy { $0["error"]?.stringValue?.contains("503") == true })
        #expect(letter.error.contains("3 attempts"), "\(letter.error)")
        #expect(try peer.records().count == 3, "the provider was called once per attempt, no more")

        // The endpoint is fixed; an operator replays the dead letter, which keeps its history.
        let listed = try CtlRunner.run(fleet, ["dead-letter", "--json"])
        let shown = try JSONValue.parse(String(try #require(listed.output.split(separator: "\n").first)))
        #expect(shown["original"]?["request"]?["idempotencyKey"] == request["idempotencyKey"], "decoded, not JSON inside a string")
        _ = fleet.stopAll()
        try setup.startSender(path: "/hook")
        let replay = try CtlRunner.run(fleet, ["dead-letter", "replay", "--all"])
        #expect(replay.code == 0 && replay.output.contains("replayed 1 of 1"), "\(replay.output)")
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "sent" } })
        let replays = RedisConnection.parseEntries(try await connection.send("XRANGE", fleet.keyspace.replays, "-", "+").array ?? [], stream: fleet.keyspace.replays)
        #expect(replays.count == 1 && replays.first?["deadLetter"] == dead.first?.id, "the replay is recorded")
        let outbox = letter.stream
        let again = RedisConnection.parseEntries(try await connection.send("XRANGE", outbox, "-", "+").array ?? [], stream: outbox).last
        #expect(again?["replayedFrom"] == dead.first?.id)
        let replayedHistory = try JSONValue.parse(try #require(again?.bytes("request")))["context"]?["history"]?.arrayValue ?? []
        #expect(replayedHistory.count == 3, "the replayed request keeps its history")
        let twice = try CtlRunner.run(fleet, ["dead-letter", "replay", "--all"])
        #expect(twice.output.contains("replayed before"), "\(twice.output)")
        _ = fleet.stopAll()
    }

    @Test func aRedeliveredSendRequestCallsTheProviderOnceAndRecordsDuplicate() async throws {
        let setup = try await WebhookFleet(["herald-ingestor", "herald-evaluator"])
        let (peer, fleet, connection) = (setup.peer, setup.fleet, setup.connection)
        try await fleet.produce(connection, Self.order("jo", "o-1"))
        let outbox = fleet.keyspace.outbox(fleet.keyspace.partition(ofUser: "jo"), .webhook)
        #expect(try await eventually(timeout: 20) { try await connection.send("XLEN", outbox).int == 1 })
        let entry = try #require(RedisConnection.parseEntries(try await connection.send("XRANGE", outbox, "-", "+").array ?? [], stream: outbox).first)
        let request = try #require(entry["request"])
        // The same send request again, as a redelivery after a crash would bring it.
        try await connection.xadd(outbox, fields: [("request", request)])
        try setup.startSender(path: "/hook")
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count >= 2 })
        #expect(try await eventually { try await fleet.drained(connection) }, "both copies of the request acknowledged")
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.map { $0["status"] } == ["sent", "duplicate"])
        #expect(deliveries.last?["providerMessageId"] == deliveries.first?["providerMessageId"])
        #expect(try peer.records().count == 1, "the provider was called once")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aTemplateErrorFailsThatMessageAndTheNextStillGoesOut(mode: RedisMode) async throws {
        let config = try TestConfig(templates: Self.templates)
        let fleet = try FleetHarness(journeys: [Self.broken, TestJourneys.receipt], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-email-sender"] { try fleet.start(name, ["HERALD_CONFIG_DIR": config.path]) }
        try await fleet.produce(connection, [
            TestJourneys.identify("kim", messageId: "i-kim"), TestJourneys.track("kim", "Broken Thing", messageId: "b-1"),
            TestJourneys.track("kim", "Order Completed", messageId: "o-1", properties: #"{"order_id":"o-1","total":5}"#),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count >= 2 })
        let deliveries = try await fleet.deliveries(connection)
        let failed = try #require(deliveries.first { $0["journey"] == "test-broken" })
        #expect(failed["status"] == "failed")
        #expect(failed["reason"] == "template error: template 'no-subject' lacks subject for email")
        #expect(deliveries.first { $0["journey"] == "test-receipt" }?["status"] == "sent")
        #expect(fleet.emails().count == 1)
        let dead = try await fleet.deadLetters(connection)
        #expect(dead.count == 1)
        #expect(dead.first?["error"] == failed["reason"])
        #expect(try dead.first.map { try DeadLetter(entry: $0) }?.originalBytes("request").map { String(decoding: $0, as: UTF8.self).contains("no-subject") } == true)
        _ = fleet.stopAll()
    }
}
