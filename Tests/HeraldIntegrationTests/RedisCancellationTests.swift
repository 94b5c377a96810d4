import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

/// A blocking command ends when the task waiting for it is cancelled, on one Redis and on a cluster.
@Suite struct RedisCancellationTests {
    /// Whether some client of the server is parked in `command` (CLIENT LIST's `cmd=` field).
    static func parked(_ command: String, observer: RedisConnection) async throws -> Bool {
        let masters = try await observer.onEveryMaster(RedisCommand("CLIENT", ["LIST"]))
        return masters.contains { ($0.string ?? "").contains("cmd=\(command)") }
    }

    @Test(arguments: RedisMode.allCases) func cancellingATaskEndsItsBlockingCommandAndTheConnectionWorksAfter(mode: RedisMode) async throws {
        let single = mode == .single ? try RedisServer() : nil
        let cluster = mode == .cluster ? try RedisCluster() : nil
        let configuration = try #require(single?.configuration ?? cluster?.configuration)
        let connection = RedisConnection(configuration: configuration, label: "blocked")
        let observer = RedisConnection(configuration: configuration, label: "observer")
        let started = Date()
        let blocked = Task { try await connection.send("BLPOP", "{t}:never", "30") }
        #expect(try await eventually { try await Self.parked("blpop", observer: observer) }, "the BLPOP reached the server")
        blocked.cancel()
        let outcome = await blocked.result
        #expect(Date().timeIntervalSince(started) < 10, "it ended on cancellation, not after its 30 s timeout")
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(try await eventually { try await !Self.parked("blpop", observer: observer) }, "the server let go of the client")
        #expect(try await connection.send("PING") == .simple("PONG"), "the next command connects again")
        // XREADGROUP … BLOCK, the workers' read, ends the same way.
        _ = try await connection.send("XGROUP", "CREATE", "{t}:stream", "g", "$", "MKSTREAM")
        let reading = Task {
            try await connection.pipeline([RedisCommand("XREADGROUP", ["GROUP", "g", "c", "COUNT", "1", "BLOCK", "30000", "STREAMS", "{t}:stream", ">"])])
        }
        #expect(try await eventually { try await Self.parked("xreadgroup", observer: observer) })
        reading.cancel()
        let read = await reading.result
        #expect(throws: CancellationError.self) { try read.get() }
        #expect(try await connection.send("PING") == .simple("PONG"))
    }

    @Test func aBlockingCallCancelledWhileQueuedNeverStarts() async throws {
        let redis = try RedisServer()
        let connection = redis.connection()
        let observer = redis.connection()
        // The first BLPOP holds the connection's queue; the second waits behind it and is cancelled there.
        let first = Task { try await connection.send("BLPOP", "first", "30") }
        #expect(try await eventually { try await Self.parked("blpop", observer: observer) })
        let second = Task { try await connection.send("BLPOP", "second", "30") }
        second.cancel()
        _ = try await observer.send("RPUSH", "first", "go")
        #expect(try await first.value.array?.last?.string == "go")
        let queued = await second.result
        #expect(throws: CancellationError.self) { try queued.get() }
        // Had the second BLPOP started, it would hold the queue for 30 s and this PING would wait.
        _ = try await observer.send("RPUSH", "second", "left alone")
        #expect(try await connection.send("PING") == .simple("PONG"))
        #expect(try await observer.send("LLEN", "second").int == 1, "the cancelled BLPOP took nothing")
    }
}
