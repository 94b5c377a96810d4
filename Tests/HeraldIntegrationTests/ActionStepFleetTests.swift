import Foundation
import HeraldCore
import HeraldJourneys
import HeraldTestSupport
import Testing

@testable import HeraldFleet

/// The action steps through a real fleet: profile and list changes in Redis, applied with the
/// input's other effects; a webhook call made once at a real HTTP peer, also when its request is
/// delivered again; a journey started in the same evaluation; and what the trail and heraldctl say.
@Suite struct ActionStepFleetTests {
    static let secret = "whsec_" + Data("herald-action-steps-secret-0123456789".utf8).base64EncodedString()

    static func journeys(peer: String) -> [String] {
        [
            #"""
            {"id": "waitlist", "trigger": {"behaviour": {"event": "Waitlisted"}},
             "steps": [{"id": "join", "updateLists": {"add": ["waitlist"]}}]}
            """#,
            #"""
            {"id": "vip-signup", "trigger": {"behaviour": {"event": "Plan Chosen"}}, "entry": {"reentry": "always"},
             "steps": [
               {"id": "mark", "updateProfile": {"set": {"plan": "{{event.properties.plan}}", "planSeats": "{{event.properties.seats}}"},
                                                "unset": ["trial_ends"], "increment": {"reminders_sent": 1}}},
               {"id": "lists", "updateLists": {"add": ["vip-early-access"], "remove": ["waitlist"]}},
               {"id": "vip?", "branch": {"cases": [{"when": {"inList": "vip-early-access"}, "next": "crm"}], "default": "done"}},
               {"id": "crm", "callWebhook": {"url": "\#(peer)/hook/crm/{{userId}}", "method": "PUT", "headers": {"X-Plan": "{{profile.plan}}"},
                                             "body": {"plan": "{{profile.plan}}", "seats": "{{profile.planSeats}}", "reminders": "{{profile.reminders_sent}}"}}},
               {"id": "welcome", "startJourney": {"journey": "vip-welcome"}},
               {"id": "done", "exit": {"reason": "signed up"}}
             ]}
            """#,
            #"""
            {"id": "vip-welcome", "trigger": {"behaviour": {"event": "Never Sent"}}, "entry": {"reentry": "never"},
             "steps": [{"id": "flag", "updateLists": {"add": ["welcomed"]}}]}
            """#,
            #"""
            {"id": "plan-check", "trigger": {"behaviour": {"event": "Check"}},
             "steps": [
               {"id": "gold?", "branch": {"cases": [{"when": {"path": "profile.plan", "op": "eq", "value": "gold"}, "next": "mark"}]}},
               {"id": "mark", "updateLists": {"add": ["gold-checked"]}}
             ]}
            """#,
        ]
    }

    @Test(arguments: RedisMode.allCases) func eachActionsEffectIsInRedisAndAtTheHTTPPeerOnce(mode: RedisMode) async throws {
        let peer = try await FleetPeer.webhook(secret: Self.secret)
        let fleet = try FleetHarness(journeys: Self.journeys(peer: peer.baseURL), mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator"] { try fleet.start(name) }
        try fleet.start("herald-webhook-sender", ["HERALD_WEBHOOK_SECRET": Self.secret])
        let user = "u-vip"
        let keyspace = fleet.keyspace
        let partition = keyspace.partition(ofUser: user)
        // One user's events are evaluated in the order produced: the check comes after the sign-up.
        try await fleet.produce(connection, [
            #"{"type":"identify","messageId":"i-vip","userId":"\#(user)","traits":{"email":"vip@example.com","reminders_sent":2,"trial_ends":"soon"},"timestamp":"\#(TestTime.recent)"}"#,
            TestJourneys.track(user, "Waitlisted", messageId: "w-vip"),
            TestJourneys.track(user, "Plan Chosen", messageId: "p-vip", properties: #"{"plan":"gold","seats":5}"#),
            TestJourneys.track(user, "Check", messageId: "c-vip"),
        ])
        let memberships = keyspace.memberships(partition, user: user)
        func lists() async throws -> Set<String> { Set((try await connection.send("HKEYS", memberships).array ?? []).compactMap(\.string)) }
        #expect(try await eventually(timeout: 20) { try await lists().contains("gold-checked") }, "the later input saw the new trait")

        // updateProfile: set (typed from the event), unset, and the increment added in the script to the stored 2.
        let profile = JSONValue.traits(fromProfileHash: try await connection.send("HGETALL", keyspace.profile(partition, user: user)))
        #expect(profile["plan"] == "gold" && profile["planSeats"] == .number(5) && profile["reminders_sent"] == .number(3))
        #expect(profile["trial_ends"] == nil && profile["email"] == "vip@example.com")

        // updateLists, and the target journey's own step (startJourney ran it in the same evaluation).
        #expect(try await lists() == ["vip-early-access", "welcomed", "gold-checked"], "waitlist was left")
        let members = try await connection.send("ZRANGE", keyspace.listMembers(partition, list: "vip-early-access"), 0, -1)
        #expect((members.array ?? []).compactMap(\.string) == [user])
        #expect(try await connection.send("ZCARD", keyspace.listMembers(partition, list: "waitlist")).int == 0)
        let listed = try CtlRunner.run(fleet, ["lists", "vip-early-access", "--json"])
        #expect(listed.code == 0, "\(listed.output)")
        let line = try JSONValue.parse(listed.output.split(separator: "\n").first.map(String.init) ?? "")
        #expect(line["user"]?.stringValue == user && line["list"] == "vip-early-access" && line["joinedAt"]?.stringValue.flatMap(ISO8601.parse) != nil)
        let byUser = try CtlRunner.run(fleet, ["lists", "--user", user])
        #expect(byUser.code == 0 && byUser.output.contains("welcomed") && !byUser.output.contains("waitlist"), "\(byUser.output)")

        // Each action step counts in its step's stats.
        let stats = try CtlRunner.run(fleet, ["journeys", "stats", "--json"])
        let rows = try stats.output.split(separator: "\n").filter { $0.hasPrefix("{") }.map { try JSONValue.parse(String($0)) }
        for step in ["mark", "lists", "crm", "welcome"] {
            #expect(rows.first { $0["journey"] == "vip-signup" && $0["step"]?.stringValue == step }?["actions"] == .number(1), "\(step): \(stats.output)")
        }

        // callWebhook: the peer got one signed PUT with the step's headers and a typed body.
        #expect(try await eventually(timeout: 20) { try peer.records().count == 1 })
        let call = try #require(try peer.records().first)
        #expect(call["method"] == "PUT" && call["path"]?.stringValue == "/hook/crm/\(user)" && call["verified"] == .bool(true), "\(call)")
        #expect(call["headers"]?["x-plan"] == "gold")
        #expect(try JSONValue.parse(call["body"]?.stringValue ?? "") == ["plan": "gold", "seats": 5, "reminders": 3])
        let record = try #require(try await fleet.deliveries(connection).first { $0["channel"] == "webhook" })
        #expect(record["status"] == "sent" && record["template"] == CallWebhookStep.templateName && record["category"] == "transactional")
        #expect(record["detail.method"] == "PUT" && record["detail.url"] == "\(peer.baseURL)/hook/crm/\(user)" && record["detail.status"] == "204")
        let key = try #require(record["id"])
        #expect(call["headers"]?["webhook-id"]?.stringValue == key)

        // The same call's request delivered again (its key, its inline call): recorded as a
        // duplicate, and the peer is not called again.
        let again = SendRequest(
            idempotencyKey: key, userId: user, journey: "vip-signup", instanceId: String(key.prefix { $0 != "/" }), step: "crm", channel: .webhook,
            template: CallWebhookStep.templateName, category: .transactional,
            context: ["call": CallWebhookStep(url: "\(peer.baseURL)/hook/crm/{{userId}}", method: "PUT").json], requestedAt: Date())
        _ = try await connection.send("XADD", keyspace.outbox(partition, .webhook), "*", "request", again.json.serialized())
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["status"] == "duplicate" && $0["id"] == key } })
        #expect(try peer.records().count == 1)

        // The trail: each action's decision, and who started vip-welcome.
        let entries = (try await connection.send("LRANGE", keyspace.trailLog(partition, user: user), 0, -1).array ?? []).compactMap(\.string)
        let records = entries.compactMap(TrailRecord.decodeEntry).flatMap(\.records)
        let codes = Set(records.map { "\($0.journey):\($0.code)" })
        for expected in ["vip-signup:profileUpdated", "vip-signup:listsUpdated", "vip-signup:webhookRequested", "vip-signup:journeyStarted", "vip-welcome:startedBy", "vip-welcome:listsUpdated"] {
            #expect(codes.contains(expected), "\(expected) missing from \(codes.sorted())")
        }
        let startedBy = try #require(records.first { $0.code == "startedBy" })
        #expect(startedBy.details.first == "vip-signup" && startedBy.details.last == "welcome")

        // An erasure takes the user out of every list with their memberships.
        try await fleet.produce(connection, [TestJourneys.track(user, "Forget User", messageId: "f-vip")])
        #expect(try await eventually(timeout: 20) { try await connection.send("EXISTS", memberships).int == 0 })
        for list in ["vip-early-access", "welcomed", "gold-checked"] {
            #expect(try await connection.send("ZSCORE", keyspace.listMembers(partition, list: list), user).isNull, "\(list)")
        }
        let after = try CtlRunner.run(fleet, ["lists", "vip-early-access"])
        #expect(after.output.contains("(list vip-early-access has no members)"), "\(after.output)")
        #expect(fleet.stopAll().values.allSatisfy { $0 == 0 })
    }

    @Test func anIncrementIsAppliedOnceDespiteARedeliveryAndLaterInputsOfABatchSeeTheChanges() async throws {
        let fleet = try FleetHarness(partitions: 1, journeys: [
            #"""
            {"id": "visits", "trigger": {"behaviour": {"event": "Visit"}}, "entry": {"reentry": "always"},
             "steps": [{"id": "count", "updateProfile": {"increment": {"visits": 1}}}, {"id": "join", "updateLists": {"add": ["visitor"]}}]}
            """#,
            #"""
            {"id": "check", "trigger": {"behaviour": {"event": "Check"}}, "entry": {"reentry": "always"},
             "steps": [
               {"id": "how-many", "branch": {"cases": [
                 {"when": {"all": [{"inList": "visitor"}, {"path": "profile.visits", "op": "eq", "value": 1}]}, "next": "one"},
                 {"when": {"all": [{"inList": "visitor"}, {"path": "profile.visits", "op": "eq", "value": 2}]}, "next": "two"}], "default": "end"}},
               {"id": "one", "updateLists": {"add": ["saw-one"]}, "next": "end"},
               {"id": "two", "updateLists": {"add": ["saw-two"]}, "next": "end"},
               {"id": "end", "exit": {}}
             ]}
            """#,
        ])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        let keyspace = fleet.keyspace
        let handler = try await fleet.evaluatorHandler(connection)
        for (name, id) in [("Visit", "v-1"), ("Check", "c-1"), ("Visit", "v-2"), ("Check", "c-2")] {
            let event = try JSONValue.parse(TestJourneys.track("u", name, messageId: id))
            try await connection.xadd(keyspace.events(0), fields: [("kind", "event"), ("event", event.serialized())])
        }
        let entries = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.events(0), "-", "+").array ?? [], stream: keyspace.events(0))
        #expect(try await handler.handle([entries[0]], connection: connection) == [.done])
        // The first visit again (a crash before its acknowledgement), with the first check.
        #expect(try await handler.handle(Array(entries[0...1]), connection: connection) == [.done, .done])
        // The second visit and check in one batch: the check is evaluated before the visit's write
        // is read back, from what the batch keeps.
        #expect(try await handler.handle(Array(entries[2...3]), connection: connection) == [.done, .done])
        let profile = JSONValue.traits(fromProfileHash: try await connection.send("HGETALL", keyspace.profile(0, user: "u")))
        #expect(profile["visits"] == .number(2), "counted once per visit")
        let lists = Set((try await connection.send("HKEYS", keyspace.memberships(0, user: "u")).array ?? []).compactMap(\.string))
        #expect(lists == ["visitor", "saw-one", "saw-two"])
        #expect(try await connection.send("ZCARD", keyspace.listMembers(0, list: "visitor")).int == 1)
    }
}
