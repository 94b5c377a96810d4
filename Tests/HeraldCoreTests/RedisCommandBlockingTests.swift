import HeraldCore
import Testing

/// Which commands a cancelled task ends early (`RedisCommand.isBlocking`).
@Suite struct RedisCommandBlockingTests {
    @Test func blockingCommandsAreKnownWhateverTheirCase() {
        #expect(RedisCommand("BLPOP", ["k", "1"]).isBlocking)
        #expect(RedisCommand("blpop", ["k", "1"]).isBlocking)
        #expect(RedisCommand("WAIT", [1, 100]).isBlocking)
        #expect(RedisCommand("BZPOPMIN", ["k", "1"]).isBlocking)
        #expect(RedisCommand("XREADGROUP", ["GROUP", "g", "c", "BLOCK", "100", "STREAMS", "s", ">"]).isBlocking)
        #expect(RedisCommand("xread", ["block", "100", "STREAMS", "s", "$"]).isBlocking)
    }

    @Test func everyOtherCommandIsNot() {
        #expect(!RedisCommand("XREADGROUP", ["GROUP", "g", "c", "COUNT", "10", "STREAMS", "s", ">"]).isBlocking)
        #expect(!RedisCommand("XADD", ["s", "*", "f", "v"]).isBlocking)
        #expect(!RedisCommand("XACK", ["s", "g", "1-1"]).isBlocking)
        #expect(!RedisCommand("EVALSHA", ["abc", 0]).isBlocking)
        #expect(!RedisCommand("GET", ["BLOCK"]).isBlocking)
        #expect(!RedisCommand("BITCOUNT", ["k"]).isBlocking)
        #expect(!RedisCommand(rawArguments: []).isBlocking)
    }
}
