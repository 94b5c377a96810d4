import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// A split test on the real fleet: per group counters from the evaluator, summed by
/// `heraldctl journeys stats JOURNEY`, against what the simulator says the same users do.
@Suite struct ExperimentFleetTests {
    static let journey = #"""
        {"id": "promo-test", "name": "Promo test",
         "trigger": {"behaviour": {"event": "Promo Seen"}},
         "entry": {"reentry": "never"},
         "goal": {"event": "Order Completed", "within": "1h", "revenue": "properties.total"},
         "steps": [
           {"id": "ab", "split": {"groups": [
             {"name": "control", "percent": 20, "holdout": true},
             {"name": "email", "percent": 40, "next": "email"},
             {"name": "email-twice", "percent": 40, "next": "first"}]}},
           {"id": "email", "send": {"channel": "email", "template": "welcome", "category": "transactional"}, "next": "done"},
           {"id": "first", "send": {"channel": "email", "template": "welcome", "category": "transactional"}},
           {"id": "second", "send": {"channel": "email", "template": "welcome", "category": "transactional"}},
           {"id": "done", "exit": {"reason": "sent"}}
         ]}
        """#

    @Test(arguments: RedisMode.allCases) func journeysStatsShowsEachGroupsCountsAndTheHoldoutsConversions(mode: RedisMode) async throws {
        let users = (0..<40).map { "exp-\($0)" }
        let converters = users.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        // What the engine decides for these users, replayed without Redis: each one's group.
        let now = Date()
        let seen = users.map { Event(type: .track, messageId: "seen-\($0)", userId: $0, event: "Promo Seen", timestamp: now) }
        let orders = converters.map {
            Event(type: .track, messageId: "order-\($0)", userId: $0, event: "Order Completed", properties: ["total": 20], timestamp: now.addingTimeInterval(60))
        }
        var simulator = JourneySimulator(catalog: JourneyCatalog(journeys: [try Journey.decode(Data(Self.journey.utf8))]), start: now)
        simulator.replay(seen + orders, horizon: 3600)
        var group: [String: String] = [:]
        for case .decision(let decision) in simulator.records where decision.kind == .split { group[decision.userId] = decision.details["group"]?.stringValue }
        #expect(group.count == users.count)
        func expected(_ name: String) -> (entered: Int, converted: Int) {
            (users.filter { group[$0] == name }.count, converters.filter { group[$0] == name }.count)
        }
        #expect(expected("control").converted > 0, "the users chosen include a converting holdout")

        let fleet = try FleetHarness(journeys: [Self.journey], mode: mode)
        let connection = fleet.connection()
        try await fleet.publishJourneys()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        let stamp = ISO8601.format(now)
        try await fleet.produce(connection, users.map {
            #"{"type":"track","messageId":"seen-\#($0)","userId":"\#($0)","event":"Promo Seen","properties":{},"timestamp":"\#(stamp)"}"#
        })
        let keyspace = fleet.keyspace
        func totals() async throws -> [String: Double] {
            var sums: [String: Double] = [:]
            for partition in keyspace.allPartitions {
                for (field, value) in try await connection.send("HGETALL", keyspace.experimentStats(partition, journey: "promo-test")).fieldPairs {
                    sums[field, default: 0] += value.string.flatMap(Double.init) ?? 0
                }
            }
            return sums
        }
        func total(_ counter: String) async throws -> Double {
            try await totals().filter { $0.key.hasSuffix(":" + counter) }.values.reduce(0, +)
        }
        #expect(try await eventually(timeout: 30) { try await total("entered") == Double(users.count) })
        // The holdouts have exited at the split by now; their conversions come through their watches.
        try await fleet.produce(connection, converters.map {
            #"{"type":"track","messageId":"order-\#($0)","userId":"\#($0)","event":"Order Completed","properties":{"total":20},"timestamp":"\#(ISO8601.format(Date()))"}"#
        })
        #expect(try await eventually(timeout: 30) { try await total("converted") == Double(converters.count) })

        let result = try CtlRunner.run(fleet, ["journeys", "stats", "promo-test", "--json"])
        #expect(result.code == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n").compactMap { try? JSONValue.parse(Array($0.utf8)) }.filter { $0["journey"] == "promo-test" }
        let byGroup = Dictionary(uniqueKeysWithValues: lines.compactMap { line in line["group"]?.stringValue.map { ($0, line) } })
        #expect(Set(byGroup.keys) == ["control", "email", "email-twice"], "\(result.output)")
        for (name, sends) in [("control", 0), ("email", 1), ("email-twice", 2)] {
            let line = byGroup[name]
            let counts = expected(name)
            #expect(line?["entered"] == .number(Double(counts.entered)), "\(name): \(line?.serialized() ?? "")")
            #expect(line?["converted"] == .number(Double(counts.converted)), "\(name)")
            #expect(line?["sent"] == .number(Double(counts.entered * sends)), "\(name): sends of its instances only")
            #expect(line?["revenue"] == .number(Double(counts.converted * 20)), "\(name)")
            #expect(line?["holdout"] == .bool(name == "control"))
            let rate = Double(counts.converted) / Double(counts.entered)
            #expect(line?["conversionRate"]?.numberValue.map { abs($0 - rate) < 1e-9 } == true)
            let interval = ExperimentStatistics.wilson(successes: counts.converted, trials: counts.entered)
            #expect(line?["conversionInterval"]?["low"]?.numberValue.map { abs($0 - (interval?.low ?? -1)) < 1e-9 } == true)
        }
        #expect(byGroup["control"]?["lift"] == .null, "the holdout is the baseline")
        // 40 users in all: every group is below the 30 a verdict needs.
        #expect(byGroup["email"]?["lift"]?["verdict"] == "tooFewUsers")
        #expect(byGroup["email"]?["lift"]?["difference"]?.numberValue != nil)
        let text = try CtlRunner.run(fleet, ["journeys", "stats", "promo-test"])
        #expect(text.output.contains("GROUP") && text.output.contains("too few users to tell"), "\(text.output)")
        let unknown = try CtlRunner.run(fleet, ["journeys", "stats", "no-such-journey"])
        #expect(unknown.code == 1 && unknown.output.contains("no published journey 'no-such-journey'"))
        #expect(fleet.stopAll().values.allSatisfy { $0 == 0 })
    }
}

/// A `bestTime` wait on the real fleet: the evaluator learns the hour from Herald's own open and
/// click feedback and schedules the wait's timer at it; a user without history gets the fallback.
@Suite struct SendTimeFleetTests {
    /// The next `hour`:00 (local in `zone`) after `date`.
    static func next(hour: Int, minute: Int = 0, after date: Date, zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.nextDate(after: date, matching: DateComponents(hour: hour, minute: minute, second: 0), matchingPolicy: .nextTime)!
    }

    @Test(arguments: RedisMode.allCases) func aUserWhoseOpensPointAtAnHourGetsTheWaitScheduledThen(mode: RedisMode) async throws {
        // The engine learns from the very events the edge and providers report.
        #expect(EngagementHours.eventNames == [DeliveryFeedback.messageOpened, DeliveryFeedback.messageClicked])
        let zone = TimeZone(identifier: "Asia/Tokyo")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let now = Date()
        // Hours from the clock, a few ahead of now, so neither is the current hour (which sends at once).
        let learnedHour = (calendar.component(.hour, from: now) + 5) % 24
        let fallbackHour = (calendar.component(.hour, from: now) + 3) % 24
        let fallback = (fallbackHour < 10 ? "0" : "") + "\(fallbackHour):30"
        let journey = #"""
            {"id": "digest-test", "name": "Digest test",
             "trigger": {"behaviour": {"event": "Digest Ready"}},
             "entry": {"reentry": "always"},
             "defaults": {"timeZone": "Asia/Tokyo"},
             "steps": [
               {"id": "best", "wait": {"bestTime": {"within": "24h", "fallback": "\#(fallback)", "minimumEngagements": 3}}},
               {"id": "mail", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}
             ]}
            """#
        let fleet = try FleetHarness(journeys: [journey], mode: mode)
        let connection = fleet.connection()
        try await fleet.publishJourneys()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        let seen = ISO8601.format(now.addingTimeInterval(-10 * 86_400))
        try await fleet.produce(connection, ["keen", "new"].map {
            #"{"type":"identify","messageId":"i-\#($0)","userId":"\#($0)","traits":{"email":"\#($0)@example.com","timezone":"Asia/Tokyo"},"timestamp":"\#(seen)"}"#
        })
        let keyspace = fleet.keyspace
        func state(_ user: String) async throws -> UserJourneyState? {
            let reply = try await connection.send("GET", keyspace.journeyState(keyspace.partition(ofUser: user), user: user))
            guard case .bulk(let bytes) = reply else { return nil }
            return try UserJourneyState(decoding: bytes, userId: user)
        }
        #expect(try await eventually { try await connection.send("EXISTS", keyspace.profile(keyspace.partition(ofUser: "keen"), user: "keen")).int == 1 })
        // Opens and a click on four earlier days, each some minutes into the learned hour (Tokyo),
        // reported as the edge and providers report them: Herald's own feedback entries.
        var feedback: [String] = []
        for day in 1...4 {
            let moment = Self.next(hour: learnedHour, minute: 7 * day, after: now.addingTimeInterval(-Double(day + 1) * 86_400), zone: zone)
            let name = day == 4 ? "Message Clicked" : "Message Opened"
            feedback.append(#"{"type":"track","messageId":"fb-\#(day)","userId":"keen","event":"\#(name)","properties":{"channel":"email","messageId":"digest-old-\#(day)"},"timestamp":"\#(ISO8601.format(moment))"}"#)
        }
        try await fleet.feedback(connection, feedback)
        #expect(try await eventually { try await state("keen")?.engagement?.counts[learnedHour] == 4 })
        #expect(try await state("keen")?.engagement?.zone == "Asia/Tokyo")

        let triggered = Date()
        try await fleet.produce(connection, ["keen", "new"].map {
            #"{"type":"track","messageId":"digest-\#($0)","userId":"\#($0)","event":"Digest Ready","properties":{},"timestamp":"\#(ISO8601.format(triggered))"}"#
        })
        func waitingDue(_ user: String) async throws -> (state: Date, timer: Date)? {
            guard let waiting = try await state(user)?.instances.first?.waiting else { return nil }
            let score = try await connection.send("ZSCORE", keyspace.timers(keyspace.partition(ofUser: user)), waiting.timerId)
            guard let millis = score.string.flatMap(Double.init) else { return nil }
            return (waiting.dueAt, Date(timeIntervalSince1970: millis / 1000))
        }
        #expect(try await eventually {
            let keen = try await waitingDue("keen")
            let new = try await waitingDue("new")
            return keen != nil && new != nil
        })
        let done = Date()
        // The due time is the learned hour's next start after the trigger was evaluated.
        let keen = try #require(try await waitingDue("keen"))
        #expect(keen.timer == keen.state)
        let learnedLow = Self.next(hour: learnedHour, after: triggered.addingTimeInterval(-1), zone: zone)
        let learnedHigh = Self.next(hour: learnedHour, after: done, zone: zone)
        #expect(keen.timer == learnedLow || keen.timer == learnedHigh, "\(keen.timer) is not the next \(learnedHour):00 in Tokyo")
        #expect(calendar.component(.hour, from: keen.timer) == learnedHour && calendar.component(.minute, from: keen.timer) == 0)
        let newcomer = try #require(try await waitingDue("new"))
        #expect(newcomer.timer == Self.next(hour: fallbackHour, minute: 30, after: triggered.addingTimeInterval(-1), zone: zone)
            || newcomer.timer == Self.next(hour: fallbackHour, minute: 30, after: done, zone: zone))

        // The trail says which hour was chosen and why.
        let trail = try CtlRunner.run(fleet, ["trail", "keen", "--json"])
        let chosen = trail.output.split(separator: "\n").compactMap { try? JSONValue.parse(Array($0.utf8)) }.first { $0["kind"] == "sendTimeChosen" }
        #expect(chosen?["basis"] == "learned" && chosen?["engagements"] == 4 && chosen?["zone"] == "Asia/Tokyo", "\(trail.output)")
        #expect(chosen?["time"]?.stringValue == (learnedHour < 10 ? "0" : "") + "\(learnedHour):00")
        let plain = try CtlRunner.run(fleet, ["trail", "new"])
        #expect(plain.output.contains("Best time \(fallback) Asia/Tokyo (fallback, only 0 opens and clicks)"), "\(plain.output)")
        #expect(fleet.stopAll().values.allSatisfy { $0 == 0 })
    }
}
