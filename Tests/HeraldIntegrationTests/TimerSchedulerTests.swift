import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// Timers with a real Redis and two scheduler replicas racing for them.
@Suite struct TimerSchedulerTests {
    @Test func twoReplicasFireEveryTimerExactlyOnceAndOnTime() async throws {
        let redis = try RedisServer()
        let keyspace = testKeyspace(partitions: 4)
        let connection = redis.connection()
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        var commands: [RedisCommand] = []
        for index in 0..<400 {
            let partition = index % keyspace.partitions
            // One in ten is a journey timer in the compact member form, which has no payload.
            let compact = index % 10 == 5
            let id = compact
                ? JourneyTimer.instanceTimerId(user: "u|\(index)", journey: "j", instanceId: "j-\(index)", step: "wait", kind: .resume)
                : "timer-\(index)"
            // Half are already due, half fall due within the next 300 ms.
            let due = index % 2 == 0 ? nowMs - 1000 : nowMs + Int64(index % 300)
            commands.append(RedisCommand("ZADD", [keyspace.timers(partition), due, id]))
            let payload = index % 10 == 0 ? "send:email\n{\"n\":\(index)}" : "{\"n\":\(index)}"
            if !compact { commands.append(RedisCommand("HSET", [keyspace.timerPayloads(partition), id, payload])) }
        }
        // A member with neither a payload nor the compact form was cancelled: dropped, not fired.
        commands.append(RedisCommand("ZADD", [keyspace.timers(0), nowMs - 1000, "timer-cancelled"]))
        _ = try await connection.pipeline(commands)
        let shutdown = GracefulShutdown()
        let metrics = Metrics()
        let replicas = (0..<2).map { _ in
            TimerScheduler(
                redis: redis.configuration, keyspace: keyspace, batchSize: 7, logger: Logger(service: "test", minimumLevel: .error),
                metrics: metrics, heartbeat: Heartbeat())
        }
        let tasks = replicas.map { replica in Task { try await replica.run(shutdown: shutdown) } }
        let fired = try await eventually(timeout: 10) { metrics.value(.timersFired) >= 400 }
        shutdown.trigger()
        for task in tasks { try await task.value }
        #expect(fired)
        var events: [StreamEntry] = []
        var sends: [StreamEntry] = []
        for partition in keyspace.allPartitions {
            events += RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.events(partition), "-", "+").array ?? [], stream: keyspace.events(partition))
            sends += RedisConnection.parseEntries(try await connection.send("XRANGE", keyspace.outbox(partition, .email), "-", "+").array ?? [], stream: keyspace.outbox(partition, .email))
        }
        #expect(events.count == 360, "journey timers go to the events stream once each")
        #expect(sends.count == 40, "deferred sends go back to their outbox once each")
        #expect(Set(events.compactMap { $0["timerId"] }).count == 360)
        #expect(events.filter { $0["timer"] == nil }.count == 40, "compact journey timers fire without a payload")
        #expect(!events.contains { $0["timerId"] == "timer-cancelled" })
        // fire-timers.lua writes the `timer` kind of the one wire type.
        for entry in events {
            guard case .timer(let id, let dueAt?, let firedAt?, let payload) = try PartitionInput(entry: entry) else {
                Issue.record("not a timer input: \(entry.fields.map(\.0))")
                continue
            }
            #expect(id == entry["timerId"] && dueAt == Int64(entry["dueAt"] ?? "") && firedAt >= dueAt - 1000)
            if let payload {
                #expect(payload["n"] != nil && !id.hasPrefix("r|"))
            } else {
                let timer = JourneyTimer(member: id, dueAtMilliseconds: dueAt)
                #expect(timer?.userId.hasPrefix("u|") == true && timer?.instanceId?.hasPrefix("j-") == true && timer?.kind == .resume, "\(id)")
            }
        }
        #expect(sends.allSatisfy { $0["request"]?.hasPrefix("{\"n\":") == true })
        let lateness = (events + sends).compactMap { entry -> Int64? in
            guard let due = entry["dueAt"].flatMap(Int64.init), let firedAt = entry["firedAt"].flatMap(Int64.init) else { return nil }
            return firedAt - due
        }
        // Timers due in the future fire within milliseconds, not at a polling interval.
        let futureLateness = zip(events + sends, lateness).filter { entry, _ in (Int64(entry["dueAt"] ?? "0") ?? 0) > nowMs }.map(\.1)
        #expect(!futureLateness.isEmpty)
        #expect(futureLateness.max()! < 250, "max lateness \(futureLateness.max()!) ms")
        for partition in keyspace.allPartitions {
            #expect(try await connection.send("ZCARD", keyspace.timers(partition)).int == 0)
            #expect(try await connection.send("HLEN", keyspace.timerPayloads(partition)).int == 0)
        }
    }
}
