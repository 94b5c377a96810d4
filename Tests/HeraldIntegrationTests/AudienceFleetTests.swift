import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// Audience journeys through a real fleet: identify messages move users into and out of an audience.
@Suite struct AudienceFleetTests {
    static let journey = #"""
        {"id": "trial-nurture", "name": "Trial nurture",
         "trigger": {"audience": {"where": {"path": "profile.plan", "op": "eq", "value": "trial"}}},
         "exit": {"leavesAudience": true},
         "steps": [
           {"id": "hello", "send": {"channel": "email", "template": "welcome", "category": "transactional"}},
           {"id": "pause", "wait": {"duration": "3s"}},
           {"id": "tips", "send": {"channel": "email", "template": "birthday", "category": "transactional"}}
         ]}
        """#

    static func identify(_ user: String, plan: String, messageId: String) -> String {
        #"{"type":"identify","messageId":"\#(messageId)","userId":"\#(user)","traits":{"email":"\#(user)@example.com","firstName":"Ann","plan":"\#(plan)"},"timestamp":"\#(TestTime.recent)"}"#
    }

    @Test(arguments: RedisMode.allCases) func usersEnterWhenTheyJoinTheAudienceAndLeaveWhenTheyGo(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [Self.journey], mode: mode)
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"] { try fleet.start(name) }
        // carl is on a trial before the journey exists; publishing asks the evaluators to check him.
        try await fleet.produce(connection, [Self.identify("carl", plan: "trial", messageId: "c-1")])
        let keyspace = fleet.keyspace
        #expect(try await eventually {
            guard try await connection.send("EXISTS", keyspace.profile(keyspace.partition(ofUser: "carl"), user: "carl")).int == 1 else { return false }
            return try await fleet.processedAll(connection)
        })
        let registry = JourneyRegistry(keyspace: keyspace)
        _ = try await registry.publish(fleet.journeys, connection: connection)
        #expect(try await registry.refreshAllUsers(connection: connection) == 1)
        func sent(_ user: String) async throws -> [String] {
            try await fleet.deliveries(connection).filter { $0["userId"] == user && $0["status"] == "sent" }.compactMap { $0["step"] }
        }
        #expect(try await eventually(timeout: 20) { try await sent("carl") == ["hello"] }, "the refresh entered the user who already matched")
        // ann and bob join (after a free plan, which matches nothing); ann leaves during the wait.
        try await fleet.produce(connection, [
            Self.identify("ann", plan: "free", messageId: "a-1"), Self.identify("bob", plan: "free", messageId: "b-1"),
            Self.identify("ann", plan: "trial", messageId: "a-2"), Self.identify("bob", plan: "trial", messageId: "b-2"),
        ])
        #expect(try await eventually(timeout: 20) {
            let ann = try await sent("ann")
            let bob = try await sent("bob")
            return ann == ["hello"] && bob == ["hello"]
        })
        try await fleet.produce(connection, [Self.identify("ann", plan: "paid", messageId: "a-3"), Self.identify("bob", plan: "trial", messageId: "b-3")])
        // bob's second message, due when ann's would have been, proves ann's wait was ended, not just late.
        #expect(try await eventually(timeout: 20) {
            let bob = try await sent("bob")
            let carl = try await sent("carl")
            return bob == ["hello", "tips"] && carl == ["hello", "tips"]
        })
        #expect(try await eventually { try await fleet.drained(connection) })
        #expect(try await sent("ann") == ["hello"])
        let trail = try await TrailReader.entries(user: "ann", count: 100, keyspace: keyspace, connection: connection).flatMap(\.records)
        #expect(trail.contains { $0.code == "exited" && $0.details == ["leftAudience"] }, "the trail says why ann left")
        #expect(trail.filter { $0.code == "entered" }.count == 1, "ann entered once, on the change to trial")
        #expect(fleet.stopAll().values.allSatisfy { $0 == 0 })
    }
}
