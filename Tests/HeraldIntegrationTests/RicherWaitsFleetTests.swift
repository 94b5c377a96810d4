import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// Action paths and count branches on a real fleet: separate processes, a real Redis, the real clock.
@Suite struct RicherWaitsFleetTests {
    /// docs/journeys.md's post-purchase wait with shipped templates and a short timeout.
    static let postPurchase = #"""
        {"id": "post-purchase", "trigger": {"behaviour": {"event": "Order Delivered"}},
         "entry": {"reentry": "always", "maxLiveInstancesPerUser": 5},
         "steps": [
           {"id": "after-purchase", "waitForEvent": {"match": ["properties.order_id"], "timeout": "1h", "onTimeout": "ask-review", "paths": [
             {"name": "happy", "event": "Review Submitted", "where": {"path": "properties.rating", "op": "gte", "value": 4}, "next": "ask-referral"},
             {"name": "unhappy", "event": "Review Submitted", "where": {"path": "properties.rating", "op": "lt", "value": 4}, "next": "support"},
             {"name": "return", "event": "Return Started", "next": "return-help"}]}},
           {"id": "ask-review", "send": {"channel": "email", "template": "price-drop", "category": "transactional"}, "next": "done"},
           {"id": "ask-referral", "send": {"channel": "email", "template": "welcome", "category": "transactional"}, "next": "done"},
           {"id": "support", "send": {"channel": "email", "template": "birthday", "category": "transactional"}, "next": "done"},
           {"id": "return-help", "send": {"channel": "email", "template": "review-request", "category": "transactional"}, "next": "done"},
           {"id": "done", "exit": {"reason": "followed up"}}
         ]}
        """#

    /// docs/journeys.md's count branch: the second order within 30 days is the VIP one.
    static let orderThanks = #"""
        {"id": "order-thanks", "trigger": {"behaviour": {"event": "Order Completed"}},
         "entry": {"reentry": "always", "maxLiveInstancesPerUser": 5},
         "steps": [
           {"id": "loyal?", "branch": {"cases": [{"when": {"count": "Order Completed", "within": "30d", "op": "gte", "value": 2}, "next": "vip"}], "default": "thanks"}},
           {"id": "vip", "send": {"channel": "email", "template": "winback", "category": "transactional"}, "next": "done"},
           {"id": "thanks", "send": {"channel": "email", "template": "order-confirmation", "category": "transactional"}},
           {"id": "done", "exit": {}}
         ]}
        """#

    @Test(arguments: RedisMode.allCases) func twoUsersTakeDifferentActionPathsAndACountBranchPicksTheVIPMessage(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [Self.postPurchase, Self.orderThanks], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler", "herald-email-sender"] { try fleet.start(name) }
        let now = Date()
        func person(_ user: String) -> String { Segment.identify(user, "i-\(user)", traits: ["email": .string("\(user)@example.com"), "firstName": .string(user.capitalized)]) }
        try await fleet.produce(connection, [
            person("ann"), person("ben"), person("cat"), person("dan"),
            Segment.track("ann", "Order Delivered", "ann-1", ["order_id": "o-1"]),
            Segment.track("ann", "Review Submitted", "ann-2", ["order_id": "o-1", "rating": 5]),
            Segment.track("ben", "Order Delivered", "ben-1", ["order_id": "o-2"]),
            // Another order's review takes no path: ben's wait goes on until his return.
            Segment.track("ben", "Review Submitted", "ben-2", ["order_id": "o-other", "rating": 5]),
            Segment.track("ben", "Return Started", "ben-3", ["order_id": "o-2"]),
            // cat's orders are 3 days apart, dan's 40: only cat's second is a VIP's.
            Segment.track("cat", "Order Completed", "cat-1", ["order_id": "c-1"], at: now.addingTimeInterval(-3 * 86_400)),
            Segment.track("cat", "Order Completed", "cat-2", ["order_id": "c-2"], at: now),
            Segment.track("dan", "Order Completed", "dan-1", ["order_id": "d-1"], at: now.addingTimeInterval(-40 * 86_400)),
            Segment.track("dan", "Order Completed", "dan-2", ["order_id": "d-2"], at: now),
        ])
        func sent() async throws -> [String: [String]] {
            var byUser: [String: [String]] = [:]
            var seen: Set<String> = []
            for record in try await fleet.deliveries(connection) {
                guard let id = record["id"], seen.insert(id).inserted, let user = record["userId"], let template = record["template"] else { continue }
                byUser[user, default: []].append(template)
            }
            return byUser
        }
        #expect(try await eventually(timeout: 30) { try await sent().values.map(\.count).reduce(0, +) == 6 })
        let templates = try await sent()
        #expect(templates["ann"] == ["welcome"], "ann's rating of 5 took the happy path")
        #expect(templates["ben"] == ["review-request"], "ben's return took the return path")
        #expect(templates["cat"] == ["order-confirmation", "winback"], "cat's second order in 30 days is a VIP's")
        #expect(templates["dan"] == ["order-confirmation", "order-confirmation"], "dan's orders are 40 days apart")

        let annPath = try await fleet.trail(connection, user: "ann", journey: "post-purchase", kind: "pathTaken")
        #expect(annPath.count == 1 && annPath.first?["name"] == "happy" && annPath.first?["path"] == .number(0) && annPath.first?["next"] == "ask-referral", "\(annPath)")
        let benPath = try await fleet.trail(connection, user: "ben", journey: "post-purchase", kind: "pathTaken")
        #expect(benPath.count == 1 && benPath.first?["name"] == "return" && benPath.first?["event"] == "Return Started", "\(benPath)")
        #expect(benPath.first?["message"] == "Path 'return' on 'Return Started' went to 'return-help'")
        let catBranches = try await fleet.trail(connection, user: "cat", journey: "order-thanks", kind: "branchTaken").compactMap { $0["next"]?.stringValue }
        #expect(catBranches == ["thanks", "vip"])

        // The summary is in the user's stored state, compact, and only for the name a condition reads.
        let partition = fleet.keyspace.partition(ofUser: "cat")
        let blob = try await connection.send("GET", fleet.keyspace.journeyState(partition, user: "cat"))
        let state = try UserJourneyState(decoding: try #require(blob.bytes), userId: "cat")
        #expect(Array(state.activity.keys) == ["Order Completed"])
        #expect(state.activity["Order Completed"]?.count(lastDays: 30, now: Date()) == 2)
        #expect(try await eventually { try await fleet.drained(connection) })
        #expect(fleet.stopAll().values.allSatisfy { $0 == 0 })
    }

    @Test func publishingJourneysWhoseConditionsNameMoreEventsThanTheSummaryKeepsStoresNothing() async throws {
        func journey(_ id: String, _ names: Range<Int>) -> String {
            let any = names.map { #"{"lastSeen": "Event \#($0)", "op": "exists"}"# }.joined(separator: ", ")
            return #"{"id": "\#(id)", "trigger": {"behaviour": {"event": "Go", "where": {"any": [\#(any)]}}}, "steps": [{"id": "a", "exit": {}}]}"#
        }
        let fleet = try FleetHarness(journeys: [journey("a", 0..<20), journey("b", 15..<40)])
        let connection = fleet.connection()
        do {
            _ = try await JourneyRegistry(keyspace: fleet.keyspace).publish(fleet.journeys, connection: connection)
            Issue.record("journeys naming 40 summarized events were published")
        } catch let error as JourneyPublishError {
            #expect(error.description.contains("name 40 events; a user's summary keeps at most 32"), "\(error)")
        }
        #expect(try await connection.send("EXISTS", fleet.keyspace.journeys).int == 0, "nothing was stored")
    }
}
