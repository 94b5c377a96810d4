import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import Testing

/// The pure parts of an erasure: what names a user, what survives, how the script's reply reads.
@Suite struct UserErasureTests {
    let erasure = UserErasure(keyspace: Keyspace(prefix: "t", partitions: 4))

    @Test func needlesAreTheUsersIdsAsHeraldsJSONWritesThem() {
        #expect(UserErasure.needles(user: "u-1") == [#""userId":"u-1""#])
        #expect(UserErasure.needles(user: "anon:a\"b") == [#""userId":"anon:a\"b""#, #""anonymousId":"a\"b""#])
    }

    @Test func suppressionsSurvivePerAddressHashAndOnlyWhereAnAddressIsKnown() {
        let since = Date(timeIntervalSince1970: 1_795_000_000)
        let record = SuppressionRecord(entries: [
            SuppressionEntry(channel: .email, category: .marketing, reason: .unsubscribed, since: since),
            SuppressionEntry(channel: .sms, address: "+14155550100", reason: .unsubscribed, since: since),
            SuppressionEntry(channel: .push, reason: .unsubscribed, since: since),
        ])
        let commands = erasure.survivingSuppressions(record, profile: ["email": "Fay@Example.com"])
        #expect(commands.count == 2, "the push entry has no address to key it by")
        let keys = commands.map { String(decoding: $0.arguments[1], as: UTF8.self) }
        #expect(keys.first == "t:suppressed:" + AddressHash.of(channel: .email, address: "fay@example.com"))
        #expect(AddressHash.of(channel: .email, address: "Fay@Example.com ") == AddressHash.of(channel: .email, address: "fay@example.com"))
        #expect(String(decoding: commands[0].arguments[2], as: UTF8.self) == "email|marketing|unsubscribed")
        #expect(AddressHash.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func theScriptsReplyNamesTheFamiliesErased() {
        let own = erasure.ownKeys(partition: 1, user: "u").count
        var parts: [RESPValue] = [.simple("OK")] + (0..<own).map { .integer($0 == 0 || $0 == 1 ? 1 : 0) }
        parts += [.integer(2), .integer(0), .integer(3)]
        let erased = erasure.erasedFamilies(.array(parts), partition: 1, user: "u")
        #expect(erased == ["profile": 1, "state": 1, "timers": 2, "pendingSends": 3])
        #expect(erasure.erasedFamilies(.array([.simple("SKIP")]), partition: 1, user: "u") == nil)
    }
}
