import Foundation
import HeraldCore
import HeraldFleet
import HeraldTestSupport
import Testing

/// Frequency caps and quiet hours through the real email sender: send requests go straight onto
/// the outbox streams, as the evaluator puts them there.
@Suite struct SenderPolicyTests {
    static func request(_ user: String, _ key: String, category: MessageCategory) -> SendRequest {
        SendRequest(
            idempotencyKey: key, userId: user, journey: "test", instanceId: "i-\(key)", step: "s", channel: .email,
            template: "welcome", category: category, context: [:], requestedAt: Date())
    }

    static func enqueue(_ fleet: FleetHarness, _ connection: RedisConnection, _ requests: [SendRequest]) async throws {
        for request in requests {
            let partition = fleet.keyspace.partition(ofUser: request.userId)
            try await connection.xadd(fleet.keyspace.outbox(partition, .email), fields: [("request", request.json.serialized())])
        }
    }

    /// A marketing email on `Promo Viewed`, with `defaults` (JSON members) when given.
    static func promoJourney(id: String = "test-promo", defaults: String? = nil) -> String {
        let defaultsMember = defaults.map { #""defaults": {"# + $0 + "}," } ?? ""
        return #"{"id": ""# + id + #"", "name": "Test promo", "trigger": {"behaviour": {"event": "Promo Viewed"}}, "entry": {"reentry": "always"}, "#
            + defaultsMember
            + #""steps": [{"id": "promo", "send": {"channel": "email", "template": "welcome", "category": "marketing"}}]}"#
    }

    static func identify(_ user: String, traits: String) -> String {
        #"{"type":"identify","messageId":"i-\#(user)","userId":"\#(user)","traits":\#(traits),"timestamp":"\#(TestTime.recent)"}"#
    }

    /// A quiet window that holds now in `zone` and ends `minutes` from now (at the start of that
    /// minute), as `HH:MM-HH:MM`, and the instant it ends.
    static func quietWindow(in zone: TimeZone, endingIn minutes: Int) -> (window: String, end: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let now = Date()
        let start = now.addingTimeInterval(-3600)
        let end = now.addingTimeInterval(TimeInterval(minutes * 60))
        func clock(_ date: Date) -> String {
            let parts = calendar.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        }
        let endMinute = calendar.date(from: calendar.dateComponents([.year, .month, .day, .hour, .minute], from: end)) ?? end
        return ("\(clock(start))-\(clock(end))", endMinute)
    }

    /// The user's trail records as JSON (`kind`, `message` …), oldest first, as `heraldctl trail` reads them.
    static func trail(_ fleet: FleetHarness, _ connection: RedisConnection, user: String) async throws -> [JSONValue] {
        try await TrailReader.entries(user: user, count: 200, keyspace: fleet.keyspace, connection: connection)
            .flatMap { entry in entry.records.map { $0.json(at: entry.at) } }
    }

    /// A fleet running `journeys` with the ingestor, an evaluator, the scheduler and an email sender
    /// with `sender` settings, after `events` were produced.
    static func startFleet(journeys: [String], events: [String], sender: [String: String]) async throws -> (FleetHarness, RedisConnection) {
        let fleet = try FleetHarness(journeys: journeys)
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        try await fleet.produce(connection, events)
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler"] { try fleet.start(name) }
        try fleet.start("herald-email-sender", sender)
        return (fleet, connection)
    }

    @Test(arguments: RedisMode.allCases) func marketingOverTheCapIsSuppressedWithItsReasonAndTransactionalBypassesIt(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        try await fleet.produce(connection, [TestJourneys.identify("capped", messageId: "i-capped")])
        try fleet.start("herald-ingestor")
        #expect(try await eventually { try await connection.send("EXISTS", fleet.keyspace.profile(fleet.keyspace.partition(ofUser: "capped"), user: "capped")).int == 1 })
        // Two sender replicas share the cap: it holds across processes.
        try fleet.start("herald-email-sender", ["HERALD_FREQUENCY_CAPS": "email=2/1d"])
        try fleet.start("herald-email-sender", ["HERALD_FREQUENCY_CAPS": "email=2/1d"])
        try await Self.enqueue(fleet, connection, (1...4).map { Self.request("capped", "m\($0)", category: .marketing) } + [Self.request("capped", "t1", category: .transactional)])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 5 })
        let deliveries = try await fleet.deliveries(connection)
        let marketing = deliveries.filter { $0["category"] == "marketing" }
        #expect(marketing.filter { $0["status"] == "sent" }.count == 2, "at most 2 marketing emails a day")
        #expect(marketing.filter { $0["status"] == "suppressed" && $0["reason"] == "frequency_cap" }.count == 2)
        #expect(deliveries.first { $0["category"] == "transactional" }?["status"] == "sent", "transactional bypasses caps")
        #expect(fleet.emails().count == 3)
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func quietHoursDeferMarketingToTheNextAllowedTimeAndLetTransactionalThrough(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        try await fleet.produce(connection, [
            #"{"type":"identify","messageId":"i-q","userId":"sleeper","traits":{"email":"s@example.com","timezone":"Asia/Kolkata","firstName":"Sam"},"timestamp":"\#(TestTime.recent)"}"#,
        ])
        try fleet.start("herald-ingestor")
        #expect(try await eventually { try await connection.send("EXISTS", fleet.keyspace.profile(fleet.keyspace.partition(ofUser: "sleeper"), user: "sleeper")).int == 1 })
        // A quiet window around now in the user's zone (+05:30), ending at the next whole minute.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Kolkata")!
        let now = Date()
        let start = calendar.date(byAdding: .hour, value: -1, to: now)!
        // Late in a minute the next one would begin before the sender looks: take the one after.
        let end = calendar.date(byAdding: .minute, value: calendar.component(.second, from: now) >= 45 ? 2 : 1, to: now)!
        func clock(_ date: Date) -> String {
            let parts = calendar.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", parts.hour!, parts.minute!)
        }
        try fleet.start("herald-scheduler")
        try fleet.start("herald-email-sender", ["HERALD_QUIET_HOURS": "\(clock(start))-\(clock(end))"])
        try await Self.enqueue(fleet, connection, [Self.request("sleeper", "promo", category: .marketing), Self.request("sleeper", "receipt", category: .transactional)])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        let first = try await fleet.deliveries(connection)
        #expect(first.first { $0["id"] == "receipt" }?["status"] == "sent", "transactional ignores quiet hours")
        let deferred = try #require(first.first { $0["id"] == "promo" })
        #expect(deferred["status"] == "deferred")
        let until = try #require(deferred["until"].flatMap(ISO8601.parse))
        // The window ends at the start of minute `end` in Kolkata: the promo waits for exactly that.
        let expectedEnd = calendar.date(from: calendar.dateComponents([.year, .month, .day, .hour, .minute], from: end))!
        #expect(abs(until.timeIntervalSince(expectedEnd)) < 1, "deferred to \(until), expected \(expectedEnd)")
        #expect(fleet.emails().count == 1, "the promo is held, not sent and not dropped")
        // It comes back through the scheduler when the window closes.
        #expect(try await eventually(timeout: 200) { try await fleet.deliveries(connection).contains { $0["id"] == "promo" && $0["status"] == "sent" } })
        #expect(fleet.emails().count == 2)
        _ = fleet.stopAll()
    }

    @Test func quietHoursUseTheJourneysTimeZoneForAUserWithoutAUsableOne() async throws {
        let kolkata = try #require(TimeZone(identifier: "Asia/Kolkata"))
        // Quiet now in Kolkata (+05:30) for half an hour more; 5 h 30 m earlier, in UTC (the fleet's zone), it is not.
        let quiet = Self.quietWindow(in: kolkata, endingIn: 30)
        let (fleet, connection) = try await Self.startFleet(
            journeys: [Self.promoJourney(defaults: #""timeZone": "Asia/Kolkata""#)],
            events: [
                Self.identify("nozone", traits: #"{"email":"nozone@example.com"}"#),
                Self.identify("badzone", traits: #"{"email":"badzone@example.com","timezone":"Mars/Olympus"}"#),
                TestJourneys.track("nozone", "Promo Viewed", messageId: "p-nozone"),
                TestJourneys.track("badzone", "Promo Viewed", messageId: "p-badzone"),
            ],
            sender: ["HERALD_QUIET_HOURS": quiet.window])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        #expect(try await eventually { try await fleet.drained(connection) }, "nothing else on its way")
        let deliveries = try await fleet.deliveries(connection)
        for user in ["nozone", "badzone"] {
            let record = try #require(deliveries.first { $0["userId"] == user })
            #expect(record["status"] == "deferred", "\(user) is held in the journey's zone, not sent under UTC")
            #expect(record["reason"] == "quiet_hours (Asia/Kolkata)")
            #expect(record["timeZone"] == "Asia/Kolkata" && record["timeZoneSource"] == "journey")
            let until = try #require(record["until"].flatMap(ISO8601.parse))
            #expect(abs(until.timeIntervalSince(quiet.end)) < 1, "held until \(until), the window ends \(quiet.end)")
        }
        #expect(fleet.emails().isEmpty)
        _ = fleet.stopAll()
    }

    @Test func aJourneyWithRespectQuietHoursFalseSendsMarketingDuringQuietHours() async throws {
        let quiet = Self.quietWindow(in: try #require(TimeZone(identifier: "UTC")), endingIn: 30)
        let (fleet, connection) = try await Self.startFleet(
            journeys: [
                Self.promoJourney(id: "test-anytime", defaults: #""respectQuietHours": false"#),
                Self.promoJourney(id: "test-polite"),
            ],
            events: [Self.identify("owl", traits: #"{"email":"owl@example.com"}"#), TestJourneys.track("owl", "Promo Viewed", messageId: "p-owl")],
            sender: ["HERALD_QUIET_HOURS": quiet.window])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        #expect(try await eventually { try await fleet.drained(connection) })
        let deliveries = try await fleet.deliveries(connection)
        let anytime = try #require(deliveries.first { $0["journey"] == "test-anytime" })
        #expect(anytime["status"] == "sent", "the journey opted its marketing step out of quiet hours")
        #expect(anytime["quietHours"] == "not respected: the journey sets respectQuietHours false")
        let polite = try #require(deliveries.first { $0["journey"] == "test-polite" })
        #expect(polite["status"] == "deferred" && polite["reason"] == "quiet_hours (UTC)", "the same step of a journey that respects them is held")
        #expect(fleet.emails().count == 1)
        _ = fleet.stopAll()
    }

    @Test func theDeliveryRecordAndTheTrailSayWhichZoneQuietHoursUsedAndWhy() async throws {
        let kolkata = try #require(TimeZone(identifier: "Asia/Kolkata"))
        let quiet = Self.quietWindow(in: kolkata, endingIn: 30)
        // The fleet's zone is Kolkata; the journey sets none. Paris (UTC+1/+2) is hours away from the window.
        let (fleet, connection) = try await Self.startFleet(
            journeys: [Self.promoJourney()],
            events: [
                Self.identify("mars", traits: #"{"email":"mars@example.com","timezone":"Mars/Olympus"}"#),
                Self.identify("paris", traits: #"{"email":"paris@example.com","timezone":"Europe/Paris"}"#),
                TestJourneys.track("mars", "Promo Viewed", messageId: "p-mars"),
                TestJourneys.track("paris", "Promo Viewed", messageId: "p-paris"),
            ],
            sender: ["HERALD_QUIET_HOURS": quiet.window, "HERALD_TIME_ZONE": "Asia/Kolkata"])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        let deliveries = try await fleet.deliveries(connection)
        let mars = try #require(deliveries.first { $0["userId"] == "mars" })
        #expect(mars["status"] == "deferred")
        #expect(mars["timeZone"] == "Asia/Kolkata" && mars["timeZoneSource"] == "fleet")
        #expect(mars["timeZoneWarning"] == "profile timezone 'Mars/Olympus' is not a known zone; used 'Asia/Kolkata'")
        let paris = try #require(deliveries.first { $0["userId"] == "paris" })
        #expect(paris["status"] == "sent")
        #expect(paris["timeZone"] == "Europe/Paris" && paris["timeZoneSource"] == "profile" && paris["timeZoneWarning"] == nil)
        // The trail says it too: which zone held the message, from which setting, and what was wrong.
        #expect(try await eventually {
            try await Self.trail(fleet, connection, user: "mars").contains { $0["kind"]?.stringValue == "quietHoursHeld" }
        })
        let note = try #require(try await Self.trail(fleet, connection, user: "mars").first { $0["kind"]?.stringValue == "quietHoursHeld" })
        let message = note["message"]?.stringValue ?? ""
        #expect(message.contains("in Asia/Kolkata") && message.contains("HERALD_TIME_ZONE") && message.contains("'Mars/Olympus' is not a known zone"), "\(message)")
        #expect(try await Self.trail(fleet, connection, user: "paris").allSatisfy { $0["kind"]?.stringValue?.hasPrefix("quietHours") != true })
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func consentIsCheckedAsOfTheSendNotAsOfTheRequest(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [Self.promoJourney()], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        func event(_ user: String, _ name: String, _ id: String, _ properties: String = "{}") -> String {
            TestJourneys.track(user, name, messageId: id, properties: properties)
        }
        // One burst each. "back" is requested while unsubscribed and has subscribed again before the
        // send; "gone" is requested while subscribed and has unsubscribed before the send.
        try await fleet.produce(connection, [
            Self.identify("back", traits: #"{"email":"back@example.com"}"#),
            event("back", "Unsubscribed", "u-back", #"{"channel":"email","category":"marketing"}"#),
            event("back", "Promo Viewed", "p-back"),
            event("back", "Subscribed", "s-back", #"{"channel":"email"}"#),
            Self.identify("gone", traits: #"{"email":"gone@example.com"}"#),
            event("gone", "Promo Viewed", "p-gone"),
            event("gone", "Unsubscribed", "u-gone", #"{"channel":"email","category":"marketing"}"#),
        ])
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        #expect(try await eventually(timeout: 20) { try await fleet.processedAll(connection) })
        let outboxes = fleet.keyspace.allPartitions.map { fleet.keyspace.outbox($0, .email) }
        var requests = 0
        for outbox in outboxes { requests += Int(try await connection.send("XLEN", outbox).int ?? 0) }
        #expect(requests == 2, "both promos were requested")
        // The sender starts after every consent change was applied: it sees consent as it is now.
        try fleet.start("herald-email-sender")
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        let deliveries = try await fleet.deliveries(connection)
        #expect(deliveries.first { $0["userId"] == "back" }?["status"] == "sent", "subscribed again at the send")
        let gone = try #require(deliveries.first { $0["userId"] == "gone" })
        #expect(gone["status"] == "suppressed" && gone["reason"] == "unsubscribed", "unsubscribed at the send, though subscribed at the request")
        #expect(fleet.emails().count == 1)
        _ = fleet.stopAll()
    }
}
