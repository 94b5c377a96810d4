import Foundation
import HeraldCore
import HeraldTestSupport
import Synchronization
import Testing

/// Every stream a worker touches stays bounded, against a real Redis: consumed streams are trimmed
/// as fast as they are acknowledged, and the dead-letter stream keeps a count and an age.
@Suite struct StreamRetentionTests {
    final class CountingHandler: StreamBatchHandler {
        let handled = Mutex(0)
        func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
            handled.withLock { $0 += entries.count }
            return entries.map { _ in .done }
        }
    }

    final class DeadLetteringHandler: StreamBatchHandler {
        func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
            entries.map { _ in .deadLetter(reason: "unusable") }
        }
    }

    @Test func aConsumedStreamIsTrimmedPastTheTenThousandEntriesOneXTrimRemoves() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.events(0)
        let connection = redis.connection()
        try await connection.ensureGroup("g", on: stream)
        let total = 35_000
        for start in stride(from: 0, to: total, by: 5000) {
            _ = try await connection.pipeline((start..<(start + 5000)).map { RedisCommand.xadd(stream, fields: [("n", String($0))]) })
        }
        let handler = CountingHandler()
        let options = StreamWorkerOptions(
            group: "g", consumer: "c1", batchSize: 1000, blockMilliseconds: 50, claimInterval: .milliseconds(100),
            deadLetter: keyspace.deadLetter)
        let worker = StreamWorker(
            name: "test", redis: redis.configuration, options: options, streams: { [stream] }, handler: handler,
            logger: Logger(service: "test", minimumLevel: .error), metrics: Metrics(), heartbeat: Heartbeat())
        let shutdown = GracefulShutdown()
        let running = Task { try await worker.run(shutdown: shutdown) }
        #expect(try await eventually { handler.handled.withLock { $0 } == total })
        // `MINID ~` removes whole nodes (100 entries each by default), so at most the newest node stays.
        #expect(try await eventually { (try await connection.send("XLEN", stream).int ?? .max) <= 100 }, "one trim round removes everything acknowledged")
        shutdown.trigger()
        try await running.value
    }

    @Test func theDeadLetterStreamKeepsItsCountAndAge() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.events(1)
        let connection = redis.connection()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        // Two dead letters older than the age bound, written as they would have been back then.
        let day: Int64 = 86_400_000
        for age in [3 * day, 2 * day] {
            _ = try await connection.send("XADD", keyspace.deadLetter, "\(now - age)-0", "error", "old")
        }
        try await connection.ensureGroup("g", on: stream)
        _ = try await connection.pipeline((0..<30).map { RedisCommand.xadd(stream, fields: [("n", String($0))]) })
        var options = StreamWorkerOptions(
            group: "g", consumer: "c1", batchSize: 10, blockMilliseconds: 50, claimInterval: .milliseconds(50),
            deadLetter: keyspace.deadLetter)
        options = try options.applyingEnvironment(["HERALD_DEAD_LETTER_MAX": "20", "HERALD_DEAD_LETTER_MAX_AGE_MS": String(day)])
        let worker = StreamWorker(
            name: "test", redis: redis.configuration, options: options, streams: { [stream] }, handler: DeadLetteringHandler(),
            logger: Logger(service: "test", minimumLevel: .error), metrics: Metrics(), heartbeat: Heartbeat())
        let shutdown = GracefulShutdown()
        let running = Task { try await worker.run(shutdown: shutdown) }
        #expect(try await eventually { try await FleetHarness.undrained([stream], connection: connection) == nil })
        #expect(try await eventually {
            let oldest = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.deadLetter, "-", "+", "COUNT", 1).array ?? [], stream: keyspace.deadLetter).first
            return oldest?["error"] == "unusable"
        }, "dead letters older than the age are trimmed")
        shutdown.trigger()
        try await running.value
        #expect(try await connection.send("XLEN", keyspace.deadLetter).int == 20, "30 dead letters, 20 kept")
        let newest = RedisConnection.parseEntries(try await connection.send("XREVRANGE", keyspace.deadLetter, "+", "-", "COUNT", 1).array ?? [], stream: keyspace.deadLetter).first
        #expect(newest?["original.n"] == "29", "the newest are the ones kept")
    }
}
