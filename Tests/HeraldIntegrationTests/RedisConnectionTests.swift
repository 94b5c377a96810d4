import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// The hiredis-based client against a real server: AUTH, binary safety, pipelining, reconnects.
@Suite struct RedisConnectionTests {
    @Test func authenticatesWithAnACLUserAndPassword() async throws {
        let redis = try RedisServer(extraArguments: ["--user", "herald", "on", ">s3cret:pw", "~*", "&*", "+@all", "--user", "default", "off"])
        let good = RedisConnection(configuration: try RedisConfiguration(url: "redis://herald:s3cret%3Apw@127.0.0.1:\(redis.port)/2"))
        #expect(try await good.send("SET", "k", "v") == .simple("OK"))
        #expect(try await good.send("CLIENT", "INFO").string?.contains("db=2") == true, "the URL's database is selected")
        let wrong = RedisConnection(configuration: try RedisConfiguration(url: "redis://herald:nope@127.0.0.1:\(redis.port)"))
        do {
            _ = try await wrong.send("PING")
            Issue.record("a wrong password connected")
        } catch let error as RedisClientError {
            guard case .connectionFailed(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("AUTH"))
            #expect(!reason.contains("nope"), "the password never appears in errors")
        }
    }

    @Test func argumentsAreBinarySafeAndPipelinesKeepOrder() async throws {
        let redis = try RedisServer()
        let connection = redis.connection()
        let blob: [UInt8] = [0, 1, 2, 255, 13, 10, 0, 42]
        let replies = try await connection.pipeline([
            RedisCommand("SET", ["bin", blob]), RedisCommand("GET", ["bin"]), RedisCommand("INCR", ["n"]),
            RedisCommand("NOSUCHCOMMAND"), RedisCommand("INCR", ["n"]),
        ])
        #expect(replies[0] == .simple("OK"))
        #expect(replies[1] == .bulk(blob))
        #expect(replies[2] == .integer(1))
        if case .error(let message) = replies[3] { #expect(message.hasPrefix("ERR")) } else { Issue.record("expected an error reply") }
        #expect(replies[4] == .integer(2), "an error reply does not break the pipeline")
        await #expect(throws: RedisServerError.self) { try await connection.send("NOSUCHCOMMAND") }
    }

    @Test func reconnectsAfterTheServerRestartsAndReloadsScripts() async throws {
        let redis = try RedisServer()
        let connection = redis.connection()
        let script = RedisScript(name: "echo", source: "return ARGV[1]")
        #expect(try await connection.evaluate(script, keys: [], arguments: ["one"]).string == "one")
        try redis.restart()
        // The first command after the drop fails (it may or may not have run); the next reconnects.
        _ = try? await connection.send("PING")
        #expect(try await connection.send("PING") == .simple("PONG"))
        // The restarted server has no scripts: NOSCRIPT is answered by loading it and running again.
        #expect(try await connection.evaluate(script, keys: [], arguments: ["two"]).string == "two")
    }

    @Test func aBlockingReadReturnsWithinItsBlockAndTheSocketTimeoutIsLonger() async throws {
        let redis = try RedisServer()
        let connection = RedisConnection(configuration: RedisConfiguration(host: "127.0.0.1", port: redis.port, socketTimeout: .seconds(3)))
        try await connection.ensureGroup("g", on: "s")
        let started = ContinuousClock.now
        let entries = try await connection.xreadgroup(group: "g", consumer: "c", streams: ["s"], count: 10, blockMilliseconds: 500)
        let elapsed = ContinuousClock.now - started
        #expect(entries.isEmpty)
        #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(3))
        #expect(try await connection.send("PING") == .simple("PONG"), "the connection is still usable after a BLOCK timeout")
    }
}
