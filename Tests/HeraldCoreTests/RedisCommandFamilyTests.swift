import HeraldCore
import Testing

/// The typed command families build the argument vectors Redis documents.
@Suite struct RedisCommandFamilyTests {
    private func words(_ command: RedisCommand) -> [String] { command.arguments.map { String(decoding: $0, as: UTF8.self) } }

    @Test func setSpellsItsConditionExpirationAndGetInRedisOrder() {
        let key = RedisKey("t:sent:{3}:k")
        #expect(words(.set(key, to: "v")) == ["SET", "t:sent:{3}:k", "v"])
        #expect(words(.set(key, to: "v", onCondition: .keyDoesNotExist, expiration: .milliseconds(1500), returningPrevious: true))
            == ["SET", "t:sent:{3}:k", "v", "NX", "PX", "1500", "GET"])
        #expect(words(.set(key, to: 7, onCondition: .keyExists, expiration: .keepTTL)) == ["SET", "t:sent:{3}:k", "7", "XX", "KEEPTTL"])
    }

    @Test func sortedSetConditionsAndBounds() {
        let key = RedisKey("z")
        #expect(words(.zadd(key, score: 5, member: "m")) == ["ZADD", "z", "5", "m"])
        #expect(words(.zadd(key, score: 5, member: "m", onCondition: .memberDoesNotExist)) == ["ZADD", "z", "NX", "5", "m"])
        #expect(words(.zadd(key, score: 5, member: "m", onCondition: .greaterScore)) == ["ZADD", "z", "GT", "5", "m"])
        #expect(words(.zremrangeByScore(key, from: .negativeInfinity, to: .exclusive(9))) == ["ZREMRANGEBYSCORE", "z", "-inf", "(9"])
        #expect(words(.zcount(key, from: .inclusive(3), to: .positiveInfinity)) == ["ZCOUNT", "z", "3", "+inf"])
        #expect(words(.zrangeByScoreWithScores(key, from: .negativeInfinity, to: .inclusive(10), limit: 50))
            == ["ZRANGEBYSCORE", "z", "-inf", "10", "WITHSCORES", "LIMIT", "0", "50"])
    }

    @Test func streamTrimsAndClaims() {
        let stream = RedisKey("s")
        #expect(words(.xadd(stream, fields: [("a", "1"), ("b", 2)])) == ["XADD", "s", "*", "a", "1", "b", "2"])
        #expect(words(.xadd(stream, fields: [("a", "1")], trim: .maxLength(100, approximate: true))) == ["XADD", "s", "MAXLEN", "~", "100", "*", "a", "1"])
        #expect(words(.xtrim(stream, .maxLength(10, approximate: false))) == ["XTRIM", "s", "MAXLEN", "10"])
        #expect(words(.xtrim(stream, .minID("17-0", approximate: true, limit: 500))) == ["XTRIM", "s", "MINID", "~", "17-0", "LIMIT", "500"])
        #expect(words(.xtrim(stream, .minID("17-0", approximate: false, limit: 500))) == ["XTRIM", "s", "MINID", "17-0"], "Redis takes LIMIT only with ~")
        #expect(words(.xclaimJustID(stream, group: "g", consumer: "c", ids: ["1-0", "2-0"], idleMilliseconds: 40, retryCount: 2))
            == ["XCLAIM", "s", "g", "c", "0", "1-0", "2-0", "IDLE", "40", "RETRYCOUNT", "2", "JUSTID"])
        #expect(words(.xreadgroup(group: "g", consumer: "c", streams: [stream, RedisKey("t")], from: ">", count: 10, blockMilliseconds: 200))
            == ["XREADGROUP", "GROUP", "g", "c", "COUNT", "10", "BLOCK", "200", "STREAMS", "s", "t", ">", ">"])
        #expect(words(.xrevrange(stream, count: 1)) == ["XREVRANGE", "s", "+", "-", "COUNT", "1"])
    }

    @Test(arguments: [(0.01, "0.010"), (1.5, "1.500"), (2.0004, "2.000"), (0, "0.001"), (0.0004, "0.001"), (12.345, "12.345")])
    func blpopTimeoutIsDecimalSecondsToTheMillisecond(seconds: Double, text: String) {
        #expect(words(.blpop(RedisKey("w"), timeoutSeconds: seconds)) == ["BLPOP", "w", text])
    }

    @Test func blockingCommandsStayRecognised() {
        #expect(RedisCommand.blpop(RedisKey("w"), timeoutSeconds: 1).isBlocking)
        #expect(RedisCommand.xreadgroup(group: "g", consumer: "c", streams: [RedisKey("s")], from: ">", count: 1, blockMilliseconds: 5).isBlocking)
        #expect(!RedisCommand.xreadgroup(group: "g", consumer: "c", streams: [RedisKey("s")], from: ">", count: 1, blockMilliseconds: nil).isBlocking)
        #expect(RedisCommand.wait(replicas: 1, timeoutMilliseconds: 10).isBlocking)
        #expect(!RedisCommand.get(RedisKey("k")).isBlocking)
    }
}
