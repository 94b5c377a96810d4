import Foundation
import HeraldCore
import HeraldTestSupport
import Synchronization
import Testing

/// The worker runtime with a real Redis: dead-lettering, reclaiming, graceful stop.
@Suite struct StreamWorkerTests {
    /// Fails every entry whose `poison` field is set; records the others.
    final class PickyHandler: StreamBatchHandler {
        let seen = Mutex<[String]>([])
        func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
            entries.map { entry in
                if entry["poison"] != nil { return .retry(reason: "cannot handle \(entry["poison"]!)") }
                seen.withLock { $0.append(entry["n"] ?? "") }
                return .done
            }
        }
    }

    /// Records the size of every batch it is handed.
    final class BatchSizeHandler: StreamBatchHandler {
        let sizes = Mutex<[Int]>([])
        func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
            sizes.withLock { $0.append(entries.count) }
            return entries.map { _ in .done }
        }
    }

    /// Runs a worker over `streams` until the returned shutdown is triggered.
    static func run(
        _ handler: any StreamBatchHandler, streams: [RedisKey], redis: RedisServer, options: StreamWorkerOptions
    ) -> (shutdown: GracefulShutdown, running: Task<Void, any Error>) {
        let worker = StreamWorker(
            name: "test", redis: redis.configuration, options: options, streams: { streams }, handler: handler,
            logger: Logger(service: "test", minimumLevel: .error), metrics: Metrics(), heartbeat: Heartbeat())
        let shutdown = GracefulShutdown()
        return (shutdown, Task { try await worker.run(shutdown: shutdown) })
    }

    @Test func aBatchHoldsAtMostTheBatchSizeHoweverManyStreamsItReads() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace(partitions: 16)
        let streams = keyspace.allPartitions.map { keyspace.outbox($0, .email) }
        let connection = redis.connection()
        for stream in streams {
            try await connection.ensureGroup("g", on: stream)
            _ = try await connection.pipeline((0..<40).map { RedisCommand.xadd(stream, fields: [("n", String($0))]) })
        }
        let handler = BatchSizeHandler()
        let options = StreamWorkerOptions(group: "g", consumer: "c1", batchSize: 32, blockMilliseconds: 50, deadLetter: keyspace.deadLetter)
        let (shutdown, running) = Self.run(handler, streams: streams, redis: redis, options: options)
        #expect(try await eventually { handler.sizes.withLock { $0.reduce(0, +) } == 16 * 40 })
        shutdown.trigger()
        try await running.value
        let sizes = handler.sizes.withLock { $0 }
        // COUNT is per stream: without sharing it, one read of 16 streams would hold 16 × 32.
        #expect(sizes.max() ?? 0 <= 32, "largest batch \(sizes.max() ?? 0)")
    }

    @Test func aWaitingEntryKeepsItsDeliveryCountAndIsNeverDeadLettered() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.outbox(2, .email)
        let connection = redis.connection()
        // The group exists before the test polls XPENDING (the worker would create it a moment later).
        try await connection.ensureGroup("g", on: stream)
        try await connection.xadd(stream, fields: [("n", "1")])
        final class WaitThenDone: StreamBatchHandler {
            let calls = Mutex(0)
            func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
                let call = calls.withLock { $0 += 1; return $0 }
                return entries.map { _ in call < 6 ? .wait(reason: "held elsewhere", retryAfterMilliseconds: 0) : .done }
            }
        }
        let handler = WaitThenDone()
        let options = StreamWorkerOptions(
            group: "g", consumer: "c1", batchSize: 10, blockMilliseconds: 50, claimMinIdleMilliseconds: 50,
            claimInterval: .milliseconds(60), maxDeliveries: 2, deadLetter: keyspace.deadLetter)
        let (shutdown, running) = Self.run(handler, streams: [stream], redis: redis, options: options)
        #expect(try await eventually { try await connection.send("XPENDING", stream, "g").array?.first?.int == 0 && handler.calls.withLock { $0 } >= 6 })
        shutdown.trigger()
        try await running.value
        #expect(try await connection.send("XLEN", keyspace.deadLetter).int == 0, "six waits with a limit of two deliveries")
    }

    @Test func anEntryWhoseDeadLetterCannotBeStoredStaysPendingUntilItCanBe() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.events(3)
        let connection = redis.connection()
        // The dead-letter key holds a string, so every XADD to it fails (WRONGTYPE).
        try await connection.send("SET", keyspace.deadLetter, "not a stream")
        try await connection.ensureGroup("g", on: stream)
        try await connection.xadd(stream, fields: [("poison", "bad data")])
        try await connection.xadd(stream, fields: [("n", "2")])
        let handler = PickyHandler()
        let options = StreamWorkerOptions(
            group: "g", consumer: "c1", batchSize: 10, blockMilliseconds: 50, claimMinIdleMilliseconds: 50,
            claimInterval: .milliseconds(60), maxDeliveries: 1, deadLetter: keyspace.deadLetter)
        let (shutdown, running) = Self.run(handler, streams: [stream], redis: redis, options: options)
        func pending() async throws -> Int { Int(try await connection.send("XPENDING", stream, "g").array?.first?.int ?? -1) }
        // The later entry is handled; the poison one is past its limit and stays pending, not acknowledged.
        #expect(try await eventually {
            guard handler.seen.withLock({ $0 }) == ["2"] else { return false }
            let deliveries = try await connection.send("XPENDING", stream, "g", "-", "+", 10).array?.first?.array?[3].int ?? 0
            return deliveries > 2
        })
        #expect(try await pending() == 1, "never acknowledged without its dead-letter copy")
        try await connection.send("DEL", keyspace.deadLetter)
        #expect(try await eventually { try await connection.send("XLEN", keyspace.deadLetter).int == 1 })
        #expect(try await eventually { try await pending() == 0 })
        shutdown.trigger()
        try await running.value
    }

    @Test func aConsumerThatStopsHandsItsPendingEntriesToALiveOneAndLeavesTheGroup() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.events(1)
        let connection = redis.connection()
        try await connection.ensureGroup("g", on: stream)
        try await connection.xadd(stream, fields: [("poison", "cannot yet")])
        try await connection.xadd(stream, fields: [("n", "1")])
        let handler = PickyHandler()
        let options = StreamWorkerOptions(
            group: "g", consumer: "c1", batchSize: 10, blockMilliseconds: 50, claimMinIdleMilliseconds: 60_000,
            claimInterval: .seconds(60), maxDeliveries: 5, deadLetter: keyspace.deadLetter)
        let (shutdown, running) = Self.run(handler, streams: [stream], redis: redis, options: options)
        #expect(try await eventually { handler.seen.withLock { $0 } == ["1"] })
        // c2 is alive: it has just joined.
        try await connection.send("XGROUP", "CREATECONSUMER", stream, "g", "c2")
        shutdown.trigger()
        try await running.value
        let members = try await connection.send("XINFO", "CONSUMERS", stream, "g").array?.map(\.fields) ?? []
        #expect(members.map { $0["name"]?.string } == ["c2"], "c1 left the group")
        let held = try await connection.send("XPENDING", stream, "g", "-", "+", 10, "c2").array ?? []
        #expect(held.count == 1, "the entry c1 could not finish is c2's now, not dropped")
    }

    @Test func aConsumerThatWasKilledIsRemovedOnceIdleWithNothingPending() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.events(2)
        let connection = redis.connection()
        try await connection.ensureGroup("g", on: stream)
        // A replica that read once and died, and one that died holding an entry.
        try await connection.xadd(stream, fields: [("n", "1")])
        _ = try await connection.xreadgroup(group: "g", consumer: "dead-holding", streams: [stream], count: 1, blockMilliseconds: nil)
        _ = try await connection.xreadgroup(group: "g", consumer: "dead-empty", streams: [stream], count: 1, blockMilliseconds: nil)
        var options = StreamWorkerOptions(
            group: "g", consumer: "c1", batchSize: 10, blockMilliseconds: 50, claimMinIdleMilliseconds: 60_000,
            claimInterval: .milliseconds(100), maxDeliveries: 5, deadLetter: keyspace.deadLetter)
        options.consumerExpiryMilliseconds = 500
        let (shutdown, running) = Self.run(PickyHandler(), streams: [stream], redis: redis, options: options)
        func names() async throws -> Set<String> {
            Set((try await connection.send("XINFO", "CONSUMERS", stream, "g").array ?? []).compactMap { $0.fields["name"]?.string })
        }
        #expect(try await eventually { try await names() == ["dead-holding", "c1"] }, "the empty one is removed, the one holding an entry kept")
        shutdown.trigger()
        try await running.value
    }

    @Test func aPoisonEntryLandsInTheDeadLetterStreamAndNeverBlocksItsStream() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.events(0)
        let connection = redis.connection()
        try await connection.xadd(stream, fields: [("n", "1")])
        try await connection.xadd(stream, fields: [("poison", "bad data")])
        try await connection.xadd(stream, fields: [("n", "2")])
        let handler = PickyHandler()
        let options = StreamWorkerOptions(
            group: "g", consumer: "c1", batchSize: 10, blockMilliseconds: 50, claimMinIdleMilliseconds: 50,
            claimInterval: .milliseconds(60), maxDeliveries: 3, deadLetter: keyspace.deadLetter)
        let (shutdown, running) = Self.run(handler, streams: [stream], redis: redis, options: options)
        #expect(try await eventually { try await connection.send("XLEN", keyspace.deadLetter).int == 1 })
        shutdown.trigger()
        try await running.value
        #expect(handler.seen.withLock { $0 } == ["1", "2"], "entries after the poison one are handled")
        let dead = RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.deadLetter, "-", "+").array ?? [], stream: keyspace.deadLetter)
        #expect(dead.first?["original.poison"] == "bad data")
        #expect(dead.first?["error"]?.contains("limit 3") == true)
        #expect(Int(dead.first?["deliveries"] ?? "") ?? 0 > 3)
        let pending = try await connection.send("XPENDING", stream, "g").array?.first?.int
        #expect(pending == 0, "the poison entry no longer holds the group")
    }

    @Test func aConsumerFinishesItsOwnPendingEntriesOnStart() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.events(1)
        let connection = redis.connection()
        try await connection.ensureGroup("g", on: stream)
        for n in 1...3 { try await connection.xadd(stream, fields: [("n", String(n))]) }
        // A previous incarnation of consumer c1 read the entries and crashed before acknowledging.
        _ = try await connection.xreadgroup(group: "g", consumer: "c1", streams: [stream], count: 10, blockMilliseconds: nil)
        let handler = PickyHandler()
        let options = StreamWorkerOptions(group: "g", consumer: "c1", blockMilliseconds: 50, deadLetter: keyspace.deadLetter)
        let worker = StreamWorker(
            name: "test", redis: redis.configuration, options: options, streams: { [stream] }, handler: handler,
            logger: Logger(service: "test", minimumLevel: .error), metrics: Metrics(), heartbeat: Heartbeat())
        let shutdown = GracefulShutdown()
        let running = Task { try await worker.run(shutdown: shutdown) }
        #expect(try await eventually { handler.seen.withLock { $0.count } == 3 })
        shutdown.trigger()
        try await running.value
        #expect(handler.seen.withLock { $0 } == ["1", "2", "3"])
        #expect(try await connection.send("XPENDING", stream, "g").array?.first?.int == 0)
    }

    @Test func entriesIdleAtACrashedConsumerAreReclaimed() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.events(2)
        let connection = redis.connection()
        try await connection.ensureGroup("g", on: stream)
        for n in 1...2 { try await connection.xadd(stream, fields: [("n", String(n))]) }
        _ = try await connection.xreadgroup(group: "g", consumer: "crashed", streams: [stream], count: 10, blockMilliseconds: nil)
        let handler = PickyHandler()
        let options = StreamWorkerOptions(
            group: "g", consumer: "survivor", blockMilliseconds: 50, claimMinIdleMilliseconds: 100,
            claimInterval: .milliseconds(50), deadLetter: keyspace.deadLetter)
        let worker = StreamWorker(
            name: "test", redis: redis.configuration, options: options, streams: { [stream] }, handler: handler,
            logger: Logger(service: "test", minimumLevel: .error), metrics: Metrics(), heartbeat: Heartbeat())
        let shutdown = GracefulShutdown()
        let running = Task { try await worker.run(shutdown: shutdown) }
        #expect(try await eventually { handler.seen.withLock { $0.count } == 2 })
        shutdown.trigger()
        try await running.value
        #expect(try await connection.send("XPENDING", stream, "g").array?.first?.int == 0)
    }

    /// Throws on its first batch (an infrastructure failure), then records what it handles.
    final class FlakyHandler: StreamBatchHandler {
        let seen = Mutex<[String]>([])
        let failed = Mutex(false)
        func handle(_ entries: [StreamEntry], connection: RedisConnection) async throws -> [EntryOutcome] {
            if failed.withLock({ flag in defer { flag = true }; return !flag }) {
                throw RedisClientError.io(command: "TEST", reason: "simulated outage")
            }
            seen.withLock { $0 += entries.compactMap { $0["n"] } }
            return entries.map { _ in .done }
        }
    }

    @Test func aFailedBatchIsFinishedBeforeNewerEntriesSoOrderHolds() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace()
        let stream = keyspace.events(3)
        let connection = redis.connection()
        for n in 1...3 { try await connection.xadd(stream, fields: [("n", String(n))]) }
        let handler = FlakyHandler()
        let options = StreamWorkerOptions(group: "g", consumer: "c1", blockMilliseconds: 50, deadLetter: keyspace.deadLetter)
        let worker = StreamWorker(
            name: "test", redis: redis.configuration, options: options, streams: { [stream] }, handler: handler,
            logger: Logger(service: "test", minimumLevel: .error), metrics: Metrics(), heartbeat: Heartbeat())
        let shutdown = GracefulShutdown()
        let running = Task { try await worker.run(shutdown: shutdown) }
        #expect(try await eventually { handler.failed.withLock { $0 } })
        for n in 4...6 { try await connection.xadd(stream, fields: [("n", String(n))]) }
        #expect(try await eventually { handler.seen.withLock { $0.count } == 6 })
        shutdown.trigger()
        try await running.value
        #expect(handler.seen.withLock { $0 } == ["1", "2", "3", "4", "5", "6"], "the failed batch came first, in order")
    }
}
