import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// Publishing a new journey version while the fleet runs.
@Suite struct JourneyVersionTests {
    static func journey(template: String) -> String {
        #"""
        {"id": "versioned", "name": "Versioned",
         "trigger": {"behaviour": {"event": "Started"}},
         "entry": {"reentry": "always"},
         "steps": [
           {"id": "pause", "wait": {"duration": "2s"}},
           {"id": "mail", "send": {"channel": "email", "template": "\#(template)", "category": "transactional"}}
         ]}
        """#
    }

    @Test(arguments: RedisMode.allCases) func evaluatorsPickUpNewVersionsLiveAndRunningInstancesFinishOnTheirOwn(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [Self.journey(template: "welcome")], mode: mode)
        let connection = fleet.connection()
        let registry = JourneyRegistry(keyspace: fleet.keyspace)
        let first = try await registry.publish(fleet.journeys, connection: connection)
        #expect(first.map(\.version) == [1] && first.allSatisfy(\.isNew))
        #expect(try await registry.publish(fleet.journeys, connection: connection).allSatisfy { !$0.isNew && $0.version == 1 }, "an unchanged file is not a new version")
        var evaluator: FleetProcessHandle?
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"] {
            let handle = try fleet.start(name)
            if name == "herald-evaluator" { evaluator = handle }
        }
        try await fleet.produce(connection, [
            TestJourneys.identify("early", messageId: "i-early"), TestJourneys.track("early", "Started", messageId: "s-early"),
        ])
        // The early user is waiting on v1 when v2 (another template) is published.
        let early = fleet.keyspace.journeyState(fleet.keyspace.partition(ofUser: "early"), user: "early")
        #expect(try await eventually { try await connection.send("EXISTS", early).int == 1 })
        try Data(Self.journey(template: "birthday").utf8).write(to: fleet.journeys.appendingPathComponent("journey-0.json"))
        let second = try await registry.publish(fleet.journeys, connection: connection)
        #expect(second.map(\.version) == [2] && second.allSatisfy(\.isNew))
        // The evaluator checks the revision on a timer: wait until it says it loaded v2's.
        #expect(try await eventually(timeout: 20) {
            evaluator?.log.split(separator: "\n").contains { $0.contains("\"journeys loaded\"") && $0.contains("\"revision\":2") } ?? false
        })
        try await fleet.produce(connection, [
            TestJourneys.identify("late", messageId: "i-late"), TestJourneys.track("late", "Started", messageId: "s-late"),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        let byUser = Dictionary(uniqueKeysWithValues: try await fleet.deliveries(connection).map { ($0["userId"] ?? "", $0) })
        #expect(byUser["early"]?["template"] == "welcome", "the running instance finished on v1")
        #expect(byUser["late"]?["template"] == "birthday", "a new instance entered v2 without a restart")
        #expect(fleet.stopAll().values.allSatisfy { $0 == 0 })
    }

    @Test(arguments: RedisMode.allCases) func anInvalidJourneyIsNotPublishedAndEachIssueNamesItsPath(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [#"{"id": "broken", "name": "Broken", "trigger": {"behaviour": {"event": "E"}}, "steps": [{"id": "w", "wait": {"duration": "soon"}}]}"#], mode: mode)
        let connection = fleet.connection()
        do {
            _ = try await JourneyRegistry(keyspace: fleet.keyspace).publish(fleet.journeys, connection: connection)
            Issue.record("an invalid journey was published")
        } catch let error as JourneyPublishError {
            #expect(error.description.contains("$.steps[0].wait.duration"))
        }
        #expect(try await connection.send("EXISTS", fleet.keyspace.journeys).int == 0, "nothing was stored")
    }
}

/// A date-triggered journey published after its users were last seen.
@Suite struct DateTriggerPublishTests {
    @Test(arguments: RedisMode.allCases) func publishingADateTriggerSchedulesItForUsersWhoSendNothingMore(mode: RedisMode) async throws {
        // The shipped pre-sale moment, moved 30 days ahead of today so the test passes on any date;
        // 09:00 as the shipped file has it, read in each user's own zone.
        let newYork = TimeZone(identifier: "America/New_York")!
        let day = LocalMoment(Date().addingTimeInterval(30 * 86_400), zone: newYork).date
        func nine(in zone: String) -> Date { Self.localNine(day: day, zone: TimeZone(identifier: zone)!) }
        let presale = try ShippedJourneys.rewritten("cyber-monday-presale", moment: nine(in: "America/New_York"))
        let fleet = try FleetHarness(journeys: [presale], mode: mode)
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        // Profiles exist before the journey does; these users send nothing afterwards.
        let seen = ISO8601.format(Date().addingTimeInterval(-86_400))
        try await fleet.produce(connection, [
            #"{"type":"identify","messageId":"i-1","userId":"tokyo","traits":{"email":"t@example.com","timezone":"Asia/Tokyo","marketingOptIn":true},"timestamp":"\#(seen)"}"#,
            #"{"type":"identify","messageId":"i-2","userId":"paris","traits":{"email":"p@example.com","timezone":"Europe/Paris","marketingOptIn":true},"timestamp":"\#(seen)"}"#,
            #"{"type":"identify","messageId":"i-3","userId":"nope","traits":{"email":"n@example.com","marketingOptIn":false},"timestamp":"\#(seen)"}"#,
        ])
        let keyspace = fleet.keyspace
        #expect(try await eventually {
            let profiles = try await connection.send("EXISTS", keyspace.profile(keyspace.partition(ofUser: "nope"), user: "nope")).int == 1
            guard profiles else { return false }
            return try await fleet.processedAll(connection)
        })
        let registry = JourneyRegistry(keyspace: keyspace)
        _ = try await registry.publish(fleet.journeys, connection: connection)
        #expect(try await registry.refreshAllUsers(connection: connection) == 3)
        func due(_ user: String) async throws -> Date? {
            let score = try await connection.send("ZSCORE", keyspace.timers(keyspace.partition(ofUser: user)), JourneyTimer.triggerTimerId(user: user, journey: "cyber-monday-presale", kind: .date))
            return score.string.flatMap(Double.init).map { Date(timeIntervalSince1970: $0 / 1000) }
        }
        #expect(try await eventually {
            // Every user's refresh, each in its own partition (on a cluster they complete in any order).
            let tokyo = try await due("tokyo")
            let paris = try await due("paris")
            let nope = try await due("nope")
            return tokyo != nil && paris != nil && nope != nil
        })
        #expect(try await due("tokyo") == nine(in: "Asia/Tokyo"))
        #expect(try await due("paris") == nine(in: "Europe/Paris"))
        // The journey's conditions are checked when the moment comes (the user may opt in by then),
        // so every known user is scheduled, at their own local 09:00 (no zone: the journey's).
        #expect(try await due("nope") == nine(in: "America/New_York"))
        _ = fleet.stopAll()
    }

    /// 09:00 on `day` (`yyyy-MM-dd`) in `zone`.
    static func localNine(day: String, zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = day.split(separator: "-").compactMap { Int($0) }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 9))!
    }
}
