import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldTestSupport
import Testing

/// `heraldctl forget USER` and the `Forget User` event against a real fleet and Redis: afterwards no
/// key and no stream entry names the user, and an unsubscribe survives as an address hash.
@Suite struct ForgetTests {
    static let target = "u-forget-7f3a"
    static let address = "u-forget-7f3a@example.com"

    static let promo = #"""
        {"id": "test-promo", "name": "Test promo", "trigger": {"behaviour": {"event": "Promo Viewed"}}, "entry": {"reentry": "always"},
         "steps": [{"id": "promo", "send": {"channel": "email", "template": "welcome", "category": "marketing"}}]}
        """#
    static let waiter = #"""
        {"id": "test-waiter", "name": "Test waiter", "trigger": {"behaviour": {"event": "Signed Up"}}, "entry": {"reentry": "always"},
         "steps": [{"id": "pause", "wait": {"duration": "1h"}},
                   {"id": "later", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}]}
        """#

    static func track(_ user: String, _ event: String, _ id: String, _ properties: String = "{}") -> String {
        #"{"type":"track","messageId":"\#(id)","userId":"\#(user)","event":"\#(event)","properties":\#(properties),"timestamp":"\#(TestTime.recentPlusOne)"}"#
    }

    static func identify(_ user: String, _ id: String, email: String) -> String {
        #"{"type":"identify","messageId":"\#(id)","userId":"\#(user)","traits":{"email":"\#(email)","firstName":"Fay"},"timestamp":"\#(TestTime.recent)"}"#
    }

    /// Every key name and every value in the server (strings, hashes, lists, sets, sorted sets,
    /// every stream entry) that contains `needle`.
    static func mentions(of needle: String, connection: RedisConnection) async throws -> [String] {
        let bytes = Array(needle.utf8)
        var found: [String] = []
        try await connection.scanKeys(matching: "*") { keys in
            for key in keys.map(\.rawValue) {
                if key.contains(needle) { found.append("key \(key)") }
                let type = try await connection.send("TYPE", key).string ?? ""
                let value: RESPValue
                switch type {
                case "string": value = try await connection.send("GET", key)
                case "hash": value = try await connection.send("HGETALL", key)
                case "list": value = try await connection.send("LRANGE", key, 0, -1)
                case "set": value = try await connection.send("SMEMBERS", key)
                case "zset": value = try await connection.send("ZRANGE", key, 0, -1)
                case "stream": value = try await connection.send("XRANGE", key, "-", "+")
                default: continue
                }
                if flatten(value).contains(where: { $0.firstRange(of: bytes) != nil }) { found.append("\(type) \(key)") }
            }
        }
        return found
    }

    static func flatten(_ value: RESPValue) -> [[UInt8]] {
        if let bytes = value.bytes { return [bytes] }
        return (value.array ?? []).flatMap(flatten)
    }

    @Test(arguments: RedisMode.allCases) func afterForgetNoKeyOrStreamEntryNamesTheUserAndAnUnsubscribeSurvivesAsAnAddressHash(mode: RedisMode) async throws {
        let fleet = try FleetHarness(journeys: [TestJourneys.receipt, Self.promo, Self.waiter], mode: mode)
        try await fleet.publishJourneys()
        let connection = fleet.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler"] { try fleet.start(name) }
        try fleet.start("herald-email-sender", ["HERALD_FREQUENCY_CAPS": "email=100/1d"])
        try await fleet.produce(connection, [
            Self.identify(Self.target, "m-1", email: Self.address), Self.identify("u-keep-1", "m-2", email: "keep@example.com"),
            Self.track(Self.target, "Order Completed", "m-3", #"{"order_id":"o-1","total":10}"#),
            Self.track(Self.target, "Signed Up", "m-4"), Self.track("u-keep-1", "Order Completed", "m-5", #"{"order_id":"o-2","total":5}"#),
            Self.track(Self.target, "Promo Viewed", "m-9"),
        ])
        // Two receipts and a promo (marketing, so it takes a frequency-cap slot).
        #expect(try await eventually(timeout: 20) { try await fleet.deliveries(connection).filter { $0["status"] == "sent" }.count == 3 })
        try await fleet.produce(connection, [Self.track(Self.target, "Unsubscribed", "m-6", #"{"channel":"email"}"#)])
        let partition = fleet.keyspace.partition(ofUser: Self.target)
        #expect(try await eventually { try await connection.send("EXISTS", fleet.keyspace.suppression(partition, user: Self.target)).int == 1 })
        #expect(try await eventually { try await fleet.drained(connection) })
        let before = try await Self.mentions(of: Self.target, connection: connection)
        #expect(before.count >= 6, "the user is all over Redis before: \(before)")

        let forget = try CtlRunner.run(fleet, ["forget", Self.target, "--by", "dpo-test"])
        #expect(forget.code == 0 && forget.output.contains("erased"), "\(forget.output)")
        #expect(try await eventually { try await fleet.drained(connection) })
        let after = try await Self.mentions(of: Self.target, connection: connection)
        #expect(after.isEmpty, "still naming the user: \(after)")
        #expect(try await Self.mentions(of: "u-keep-1", connection: connection).contains { $0.contains(":profile:u-keep-1") }, "other users stay")
        let records = RedisConnection.parseEntries(try await connection.send("XRANGE", fleet.keyspace.erasures, "-", "+").array ?? [], stream: fleet.keyspace.erasures)
        #expect(records.count == 1)
        #expect(records.first?["userSha256"] == AddressHash.sha256Hex(Array(Self.target.utf8)))
        #expect(records.first?["requestedBy"] == "heraldctl:dpo-test")
        let erased = records.first?["erased"] ?? ""
        for family in ["profile", "state", "trail", "caps", "suppression", "timers"] {
            #expect(erased.contains(family + "="), "\(family) in \(erased)")
        }
        let hashed = fleet.keyspace.erasedSuppression(addressHash: AddressHash.of(channel: .email, address: Self.address))
        #expect(try await connection.send("HGETALL", hashed).fieldPairs.map(\.0) == ["email|marketing|unsubscribed"])

        // Idempotent: forgetting again erases nothing more and names no one.
        let again = try CtlRunner.run(fleet, ["forget", Self.target])
        #expect(again.code == 0, "\(again.output)")
        #expect(try await eventually { try await fleet.drained(connection) })
        #expect(try await Self.mentions(of: Self.target, connection: connection).isEmpty)

        // The same person back under another id stays unsubscribed from marketing.
        try await fleet.produce(connection, [Self.identify("u-back-2", "m-7", email: Self.address), Self.track("u-back-2", "Promo Viewed", "m-8")])
        #expect(try await eventually(timeout: 20) {
            try await fleet.deliveries(connection).contains { $0["userId"] == "u-back-2" && $0["status"] == "suppressed" && $0["reason"] == "unsubscribed" }
        })
        _ = fleet.stopAll()
    }
}
