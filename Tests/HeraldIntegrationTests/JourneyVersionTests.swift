import Foundation
import HeraldCore
import HeraldFleet
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

    @Test func evaluatorsPickUpNewVersionsLiveAndRunningInstancesFinishOnTheirOwn() async throws {
        let fleet = try FleetHarness(journeys: [Self.journey(template: "welcome")])
        let connection = fleet.redis.connection()
        let registry = JourneyRegistry(keyspace: fleet.keyspace)
        let first = try await registry.publish(fleet.journeys, connection: connection)
        #expect(first.map(\.version) == [1] && first.allSatisfy(\.isNew))
        #expect(try await registry.publish(fleet.journeys, connection: connection).allSatisfy { !$0.isNew && $0.version == 1 }, "an unchanged file is not a new version")
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"] { try fleet.start(name) }
        try await fleet.produce(connection, [
            TestJourneys.identify("early", messageId: "i-early"), TestJourneys.track("early", "Started", messageId: "s-early"),
        ])
        // The early user is waiting on v1 when v2 (another template) is published.
        let early = fleet.keyspace.journeyState(fleet.keyspace.partition(ofUser: "early"), user: "early")
        #expect(try await eventually { try await connection.send("EXISTS", early).int == 1 })
        try Data(Self.journey(template: "birthday").utf8).write(to: fleet.journeys.appendingPathComponent("journey-0.json"))
        let second = try await registry.publish(fleet.journeys, connection: connection)
        #expect(second.map(\.version) == [2] && second.allSatisfy(\.isNew))
        try await Task.sleep(for: .milliseconds(1500))  // longer than the evaluator's reload check
        try await fleet.produce(connection, [
            TestJourneys.identify("late", messageId: "i-late"), TestJourneys.track("late", "Started", messageId: "s-late"),
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        let byUser = Dictionary(uniqueKeysWithValues: try await fleet.deliveries(connection).map { ($0["userId"] ?? "", $0) })
        #expect(byUser["early"]?["template"] == "welcome", "the running instance finished on v1")
        #expect(byUser["late"]?["template"] == "birthday", "a new instance entered v2 without a restart")
        #expect(fleet.stopAll().values.allSatisfy { $0 == 0 })
    }

    @Test func anInvalidJourneyIsNotPublishedAndEachIssueNamesItsPath() async throws {
        let fleet = try FleetHarness(journeys: [#"{"id": "broken", "name": "Broken", "trigger": {"behaviour": {"event": "E"}}, "steps": [{"id": "w", "wait": {"duration": "soon"}}]}"#])
        let connection = fleet.redis.connection()
        do {
            _ = try await JourneyRegistry(keyspace: fleet.keyspace).publish(fleet.journeys, connection: connection)
            Issue.record("an invalid journey was published")
        } catch let error as JourneyPublishError {
            #expect(error.description.contains("$.steps[0].wait.duration"))
        }
        #expect(try await connection.send("EXISTS", fleet.keyspace.journeys).int == 0, "nothing was stored")
    }
}
