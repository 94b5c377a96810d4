import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// At most one provider call per idempotency key through real sender processes: outcomes recorded
/// as each call returns, abandoned claims handled by category, claims held elsewhere waited on
/// without counting toward the dead-letter limit.
@Suite struct SenderIdempotencyTests {
    static let secret = "whsec_" + Data("herald-idempotency-test-secret-0123".utf8).base64EncodedString()

    static func request(_ user: String, _ key: String, channel: Channel = .email, category: MessageCategory) -> SendRequest {
        SendRequest(
            idempotencyKey: key, userId: user, journey: "test", instanceId: "i-\(key)", step: "s", channel: channel,
            template: channel == .webhook ? "hook" : "welcome", category: category, context: [:], requestedAt: Date())
    }

    static func enqueue(_ fleet: FleetHarness, _ connection: RedisConnection, _ requests: [SendRequest]) async throws {
        for request in requests {
            let partition = fleet.keyspace.partition(ofUser: request.userId)
            try await connection.xadd(fleet.keyspace.outbox(partition, request.channel), fields: [("request", request.json.serialized())])
        }
    }

    /// Stores a claim marker for `key` as if `consumer` had claimed it at `at`.
    static func claimMarker(_ fleet: FleetHarness, _ connection: RedisConnection, user: String, key: String, consumer: String, at: Date) async throws {
        let redisKey = fleet.keyspace.idempotency(fleet.keyspace.partition(ofUser: user), key: key)
        try await connection.send("SET", redisKey, IdempotencyMarker.claimed(at: at, attempt: 0, consumer: consumer).encoded, "PX", 600_000)
    }

    static func identify(_ fleet: FleetHarness, _ connection: RedisConnection, _ users: [(String, String)]) async throws {
        try await fleet.produce(connection, users.map { user, traits in
            #"{"type":"identify","messageId":"i-\#(user)","userId":"\#(user)","traits":\#(traits),"timestamp":"\#(TestTime.recent)"}"#
        })
        try fleet.start("herald-ingestor")
        #expect(try await eventually {
            for (user, _) in users where try await connection.send("EXISTS", fleet.keyspace.profile(fleet.keyspace.partition(ofUser: user), user: user)).int != 1 { return false }
            return true
        })
    }

    @Test(arguments: RedisMode.allCases) func anAbandonedClaimIsParkedAsUnknownForMarketingResentForTransactionalAndReplayable(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        try await Self.identify(fleet, connection, [("ann", #"{"email":"ann@example.com","firstName":"Ann"}"#)])
        // A sender that died ten minutes ago holding two claims, and a fresh request after them.
        let dead = "dead-host-1:sender:0"
        for key in ["m-stale", "t-stale"] {
            try await Self.claimMarker(fleet, connection, user: "ann", key: key, consumer: dead, at: Date().addingTimeInterval(-600))
        }
        try await Self.enqueue(fleet, connection, [
            Self.request("ann", "m-stale", category: .marketing), Self.request("ann", "t-stale", category: .transactional),
            Self.request("ann", "after", category: .transactional),
        ])
        try fleet.start("herald-email-sender", ["HERALD_UNSUBSCRIBE_SECRET": "test-unsubscribe-secret"])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 3 })
        let records = Dictionary(uniqueKeysWithValues: try await fleet.deliveries(connection).map { ($0["id"] ?? "", $0) })
        #expect(records["m-stale"]?["status"] == "unknown")
        #expect(records["m-stale"]?["previousConsumer"] == dead)
        #expect(records["m-stale"]?["request"].map { (try? JSONValue.parse($0))?["idempotencyKey"]?.stringValue } == "m-stale")
        #expect(records["t-stale"]?["status"] == "sent", "transactional is resent (at least once)")
        #expect(records["after"]?["status"] == "sent")
        #expect(fleet.emails().count == 2)
        let partition = fleet.keyspace.partition(ofUser: "ann")
        #expect(try await connection.send("GET", fleet.keyspace.idempotency(partition, key: "m-stale")).string?.hasPrefix("unknown:") == true)
        let trail = try await TrailReader.entries(user: "ann", count: 200, keyspace: fleet.keyspace, connection: connection).flatMap(\.records)
        #expect(trail.contains { $0.code == "unknown" && $0.sendKey == "m-stale" && $0.details.last == dead })
        #expect(try await connection.send("PTTL", fleet.keyspace.trailLog(partition, user: "ann")).int ?? -1 > 0, "a sender's outcome leaves the trail with an expiry")

        let listed = try CtlRunner.run(fleet, ["deliveries", "--status", "unknown"])
        #expect(listed.code == 0)
        #expect(listed.output.contains("unknown") && listed.output.contains("ann") && !listed.output.contains("t-stale"), "\(listed.output)")
        let replay = try CtlRunner.run(fleet, ["deliveries", "replay", "m-stale"])
        #expect(replay.code == 0 && replay.output.contains("m-stale: replayed"), "\(replay.output)")
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).contains { $0["id"] == "m-stale" && $0["status"] == "sent" } })
        #expect(fleet.emails().count == 3)
        let again = try CtlRunner.run(fleet, ["deliveries", "replay", "m-stale"])
        #expect(again.output.contains("not parked any more"), "\(again.output)")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func markersAreKeptAsLongAsTheClaimSettingsLetARedeliveryReachThemAndNoLonger(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        try await Self.identify(fleet, connection, [("cy", #"{"email":"cy@example.com","firstName":"Cy"}"#)])
        try await Self.claimMarker(fleet, connection, user: "cy", key: "m-parked", consumer: "dead-host-2:sender:0", at: Date().addingTimeInterval(-600))
        try await Self.enqueue(fleet, connection, [
            Self.request("cy", "m-parked", category: .marketing), Self.request("cy", "t-sent", category: .transactional),
        ])
        try fleet.start("herald-email-sender", [
            "HERALD_UNSUBSCRIBE_SECRET": "test-unsubscribe-secret", "HERALD_CLAIM_LEASE_MS": "6000", "HERALD_MAX_DELIVERIES": "2",
            "HERALD_CLAIM_IDLE_MS": "300", "HERALD_CLAIM_INTERVAL_MS": "100", "HERALD_SENT_OUTAGE_ALLOWANCE_MS": "60000",
            "HERALD_UNKNOWN_RETENTION_MS": "3600000",
        ])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 2 })
        let partition = fleet.keyspace.partition(ofUser: "cy")
        // 2 deliveries × (0.3 s idle + 0.1 s interval + 6 s lease) + 60 s outage allowance.
        let derived = Int64(IdempotencyPolicy.derivedSentRetention(claimIdle: 0.3, claimInterval: 0.1, maxDeliveries: 2, lease: 6, outageAllowance: 60) * 1000)
        #expect(derived == 72_800)
        let sent = try await connection.send("PTTL", fleet.keyspace.idempotency(partition, key: "t-sent")).int ?? -1
        #expect(sent > 0 && sent <= derived && sent > derived - 30_000, "sent: marker PTTL \(sent) ms, derived \(derived) ms")
        let unknown = try await connection.send("PTTL", fleet.keyspace.idempotency(partition, key: "m-parked")).int ?? -1
        #expect(unknown > 3_570_000 && unknown <= 3_600_000, "unknown: marker PTTL \(unknown) ms")
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aClaimLiveElsewhereIsWaitedOnWithoutCountingTowardTheDeadLetterLimit(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        try await Self.identify(fleet, connection, [("bo", #"{"email":"bo@example.com","firstName":"Bo"}"#)])
        // Another sender claimed the key just now; with a 6 s lease this sender looks at the entry
        // about every 0.3 s, far more often than the delivery limit of 2 allows.
        try await Self.claimMarker(fleet, connection, user: "bo", key: "busy-1", consumer: "other-host-9:sender:0", at: Date())
        try await Self.enqueue(fleet, connection, [Self.request("bo", "busy-1", category: .transactional)])
        try fleet.start("herald-email-sender", [
            "HERALD_UNSUBSCRIBE_SECRET": "test-unsubscribe-secret", "HERALD_CLAIM_LEASE_MS": "6000", "HERALD_MAX_DELIVERIES": "2",
            "HERALD_CLAIM_IDLE_MS": "300", "HERALD_CLAIM_INTERVAL_MS": "100",
        ])
        // When the other claim is abandoned (its lease runs out) the transactional message is sent.
        #expect(try await eventually(timeout: 30) { try await fleet.deliveries(connection).contains { $0["id"] == "busy-1" && $0["status"] == "sent" } })
        #expect(try await fleet.deadLetters(connection).isEmpty, "waiting is not failing")
        #expect(fleet.emails().count == 1)
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func aKilledSenderLeavesOnlyItsInFlightCallsUnrecordedAndTheNextSenderResendsNothingElse(mode: RedisMode) async throws {
        let peer = try await FleetPeer.webhook(secret: Self.secret)
        let config = try TestConfig(templates: ["hook": ["body.mustache": #"{"user":"{{userId}}"}"#]])
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        // Five users answered at once, two whose endpoint holds every request until the test opens it,
        // all in one partition: one read takes them in one batch in both modes (on a cluster each
        // partition's stream is read on its own).
        let partition = fleet.keyspace.partition(ofUser: "held0")
        func inPartition(_ prefix: String, _ count: Int) -> [String] {
            Array((0...).lazy.map { "\(prefix)\($0)" }.filter { fleet.keyspace.partition(ofUser: $0) == partition }.prefix(count))
        }
        let quick = inPartition("quick", 5), held = inPartition("held", 2)
        try await Self.identify(fleet, connection, quick.map { ($0, #"{"webhookUrl":"\#(peer.baseURL)/hook"}"#) } + held.map { ($0, #"{"webhookUrl":"\#(peer.baseURL)/gate/g"}"#) })
        let environment = [
            "HERALD_CONFIG_DIR": config.path, "HERALD_WEBHOOK_SECRET": Self.secret, "HERALD_SEND_CONCURRENCY": "8",
            "HERALD_CLAIM_LEASE_MS": "11000", "HERALD_CLAIM_IDLE_MS": "500", "HERALD_CLAIM_INTERVAL_MS": "200",
        ]
        // All queued before the sender starts, so its first read takes them in one batch.
        try await Self.enqueue(fleet, connection, (quick + held).map { Self.request($0, "k-\($0)", channel: .webhook, category: .transactional) })
        let first = try fleet.start("herald-webhook-sender", environment)
        // The quick ones are recorded while the held ones are still in flight, in the same batch.
        #expect(try await eventually(timeout: 20) {
            let sent = try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count
            let arrived = held.allSatisfy { FileManager.default.fileExists(atPath: peer.directory.appendingPathComponent("arrived-k-\($0)").path) }
            return sent == quick.count && arrived
        })
        first.kill()
        _ = FileManager.default.createFile(atPath: peer.directory.appendingPathComponent("open-g").path, contents: Data())
        try fleet.start("herald-webhook-sender", environment)
        // The next sender finds the quick keys sent and takes over the held ones when their lease ends.
        // The quick ones were read in the held ones' batch, not acknowledged before the kill, so they
        // are delivered again and found sent (a `duplicate` record each).
        let settled = try await eventually(timeout: 40) {
            let deliveries = try await fleet.deliveries(connection)
            return held.allSatisfy { user in deliveries.contains { $0["id"] == "k-\(user)" && $0["status"] == "sent" } }
                && quick.allSatisfy { user in deliveries.contains { $0["id"] == "k-\(user)" && $0["status"] == "sent" } }
                && quick.allSatisfy { user in deliveries.contains { $0["id"] == "k-\(user)" && $0["status"] == "duplicate" } }
        }
        let seen = try await fleet.deliveries(connection).map { "\($0["id"] ?? "") \($0["status"] ?? "") \($0["reason"] ?? "")" }
        let peerSeen = try peer.records().map { "\($0["path"]?.stringValue ?? "") \($0["headers"]?["webhook-id"]?.stringValue ?? "") \($0["answered"]?.stringValue ?? "")" }
        #expect(settled, "\(seen) peer: \(peerSeen) \(peer.log.suffix(2000)) \(fleet.processes.last?.log.suffix(3000) ?? "")")
        let calls = Dictionary(grouping: try peer.records().compactMap { $0["headers"]?["webhook-id"]?.stringValue }, by: { $0 }).mapValues(\.count)
        for user in quick { #expect(calls["k-\(user)"] == 1, "recorded before the kill: never called again (\(user))") }
        for user in held { #expect((calls["k-\(user)"] ?? 0) <= 2, "in flight at the kill: at most one more call (\(user))") }
        // Nothing is left behind: every outbox entry is acknowledged.
        #expect(try await eventually(timeout: 10) {
            for partition in fleet.keyspace.allPartitions {
                let summary = try await connection.send("XPENDING", fleet.keyspace.outbox(partition, .webhook), fleet.keyspace.senderGroup(.webhook))
                if (summary.array?.first?.int ?? 0) != 0 { return false }
            }
            return true
        })
        _ = fleet.stopAll()
    }

    @Test func aProviderAnswerIsKeptUntilRedisIsBackAndTheProviderIsNeverAskedAgain() async throws {
        let peer = try await FleetPeer.webhook(secret: Self.secret)
        let config = try TestConfig(templates: ["hook": ["body.mustache": #"{"user":"{{userId}}"}"#]])
        let fleet = try FleetHarness(journeys: [])
        let connection = fleet.redis.connection()
        try await Self.identify(fleet, connection, [
            ("rita", #"{"webhookUrl":"\#(peer.baseURL)/gate/r"}"#), ("mo", #"{"webhookUrl":"\#(peer.baseURL)/hook"}"#),
        ])
        try await Self.enqueue(fleet, connection, [Self.request("rita", "k-rita", channel: .webhook, category: .transactional)])
        let sender = try fleet.start("herald-webhook-sender", ["HERALD_CONFIG_DIR": config.path, "HERALD_WEBHOOK_SECRET": Self.secret])
        #expect(try await eventually { FileManager.default.fileExists(atPath: peer.directory.appendingPathComponent("arrived-k-rita").path) })
        // Redis goes away while the call is in flight; the provider then accepts the message.
        fleet.redis.stop()
        _ = FileManager.default.createFile(atPath: peer.directory.appendingPathComponent("open-r").path, contents: Data())
        #expect(try await eventually(timeout: 20) { sender.log.contains("retrying until Redis takes it") }, "the answer waits for Redis")
        try fleet.redis.start()
        // The test's own connection was cut too: its next command reconnects.
        _ = try? await connection.send("PING")
        try await Self.enqueue(fleet, connection, [Self.request("mo", "k-mo", channel: .webhook, category: .transactional)])
        #expect(try await eventually(timeout: 30) {
            let sent = Set(try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.compactMap { $0["id"] })
            return sent == ["k-rita", "k-mo"]
        })
        let drained = try await eventually { try await fleet.drained(connection) }
        let left = try await fleet.undrained(connection)
        #expect(drained, "\(left ?? "")")
        let calls = try peer.records().compactMap { $0["headers"]?["webhook-id"]?.stringValue }
        #expect(calls.filter { $0 == "k-rita" }.count == 1, "recorded after the outage, never sent again: \(calls)")
        #expect(try await fleet.deliveries(connection).filter { $0["id"] == "k-rita" }.map { $0["status"] } == ["sent"])
        _ = fleet.stopAll()
    }

    @Test(arguments: RedisMode.allCases) func anUnreadableSuppressionRecordMeansDoNotSendAndIsLeftAsStored(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [], mode: mode)
        let connection = fleet.connection()
        try await Self.identify(fleet, connection, [
            ("sue", #"{"email":"sue@example.com","firstName":"Sue"}"#), ("max", #"{"email":"max@example.com","firstName":"Max"}"#),
        ])
        let suppression = fleet.keyspace.suppression(fleet.keyspace.partition(ofUser: "sue"), user: "sue")
        try await connection.send("SET", suppression, #"{"entries":[{"channel":"email","#)
        try await Self.enqueue(fleet, connection, [
            Self.request("sue", "s-marketing", category: .marketing), Self.request("sue", "s-receipt", category: .transactional),
            Self.request("max", "x-receipt", category: .transactional),
        ])
        try fleet.start("herald-email-sender", ["HERALD_UNSUBSCRIBE_SECRET": "test-unsubscribe-secret"])
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).count == 3 })
        let records = Dictionary(uniqueKeysWithValues: try await fleet.deliveries(connection).map { ($0["id"] ?? "", $0) })
        for key in ["s-marketing", "s-receipt"] {
            #expect(records[key]?["status"] == "suppressed", "\(key)")
            #expect(records[key]?["reason"] == "unreadable_suppression_record", "\(key)")
        }
        #expect(records["x-receipt"]?["status"] == "sent", "other users are unaffected")
        #expect(fleet.emails().count == 1)
        #expect(try await connection.send("GET", suppression).string == #"{"entries":[{"channel":"email","#, "never overwritten")
        _ = fleet.stopAll()
    }
}
