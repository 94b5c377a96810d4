import Foundation
import HeraldCore

/// The end-to-end benchmark: `users` identify messages, then `events` track messages that each
/// trigger one send, through a running ingestor, evaluator and sender (with a counting sink
/// provider). Reports events per second, latency from XADD to provider call, and redis-benchmark's
/// pipelined XADD rate on the same server as the yardstick.
public struct Benchmark: Sendable {
    /// Where the fleet runs.
    public var keyspace: Keyspace
    /// The Redis the fleet uses.
    public var redis: RedisConfiguration
    /// Track events to send.
    public var events: Int
    /// Distinct users (each gets an identify with an email address first).
    public var users: Int
    /// How long to wait for the fleet.
    public var timeout: Duration

    /// Creates a benchmark.
    public init(keyspace: Keyspace, redis: RedisConfiguration, events: Int, users: Int, timeout: Duration) {
        self.keyspace = keyspace
        self.redis = redis
        self.events = events
        self.users = users
        self.timeout = timeout
    }

    /// The figures of one run.
    public struct Report: Sendable {
        /// Events sent.
        public var events: Int
        /// Events per second from the first XADD to the last provider call.
        public var eventsPerSecond: Double
        /// Median latency from XADD to provider call, in milliseconds.
        public var p50: Double
        /// 99th percentile latency, in milliseconds.
        public var p99: Double
        /// redis-benchmark's pipelined (-P 16) XADD rate on the same server.
        public var xaddPipelinedPerSecond: Double
        /// Delivery statuses seen (all should be `sent`).
        public var statuses: [String: Int]

        /// Human lines, then the machine-readable last line.
        public var summary: String {
            let ratio = xaddPipelinedPerSecond > 0 ? eventsPerSecond / xaddPipelinedPerSecond : 0
            return """
                events:            \(events) (statuses: \(statuses.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
                end to end:        \(String(format: "%.0f", eventsPerSecond)) events/s (ingest → evaluate → send, 3 hops)
                latency XADD→send: p50 \(String(format: "%.1f", p50)) ms, p99 \(String(format: "%.1f", p99)) ms
                redis-benchmark:   \(String(format: "%.0f", xaddPipelinedPerSecond)) XADD/s pipelined (-P 16), same server, same run
                ratio:             \(String(format: "%.4f", ratio)) (Herald events/s ÷ raw pipelined XADD/s)
                herald-bench events=\(events) events_per_s=\(String(format: "%.0f", eventsPerSecond)) p50_ms=\(String(format: "%.1f", p50)) p99_ms=\(String(format: "%.1f", p99)) xadd_p16_per_s=\(String(format: "%.0f", xaddPipelinedPerSecond)) ratio=\(String(format: "%.4f", ratio))
                """
        }
    }

    /// Runs the benchmark against the fleet.
    public func run() async throws -> Report {
        let connection = RedisConnection(configuration: redis, label: "bench")
        let xaddRate = try measureRedisBenchmark()
        let publisher = EventPublisher(keyspace: keyspace, batchSize: 1000)
        let identifies = (0..<users).map { index in
            Array(#"{"type":"identify","messageId":"bench-i-\#(index)","userId":"bench-\#(index)","traits":{"email":"bench-\#(index)@example.com","firstName":"User \#(index)"},"timestamp":"2026-11-22T10:00:00Z"}"#.utf8)
        }
        try await publisher.publish(payloads: identifies, connection: connection)
        try await waitUntilIngested(connection)
        let start = Date()
        var sent = 0
        while sent < events {
            let chunk = (sent..<min(sent + 5000, events)).map { index in
                Array(#"{"type":"track","messageId":"bench-t-\#(index)","userId":"bench-\#(index % users)","event":"Bench Order","properties":{"order_id":"o-\#(index)","total":\#(index % 100)},"timestamp":"2026-11-22T10:00:01Z"}"#.utf8)
            }
            try await publisher.publish(payloads: chunk, connection: connection)
            sent += chunk.count
        }
        let deadline = ContinuousClock.now + timeout
        var delivered: Int64 = 0
        while ContinuousClock.now < deadline {
            delivered = try await connection.send("XLEN", keyspace.deliveries).int ?? 0
            if delivered >= Int64(events) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard delivered >= Int64(events) else { throw BenchmarkError.timedOut(delivered: Int(delivered), expected: events) }
        var latencies: [Double] = []
        var statuses: [String: Int] = [:]
        var lastSent = start
        var cursor = "-"
        while true {
            let reply = try await connection.send("XRANGE", keyspace.deliveries, cursor, "+", "COUNT", 10_000)
            let entries = RedisConnection.parseEntries(reply.array ?? [], stream: keyspace.deliveries)
            for entry in entries {
                statuses[entry["status"] ?? "?", default: 0] += 1
                if let latency = entry["latencyMs"].flatMap(Double.init) { latencies.append(latency) }
                if let at = entry["sentAt"].flatMap(ISO8601.parse), at > lastSent { lastSent = at }
            }
            guard let last = entries.last, entries.count == 10_000 else { break }
            cursor = "(" + last.id
        }
        latencies.sort()
        func quantile(_ q: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int((Double(latencies.count - 1) * q).rounded()))]
        }
        let seconds = max(0.001, lastSent.timeIntervalSince(start))
        return Report(
            events: events, eventsPerSecond: Double(events) / seconds, p50: quantile(0.5), p99: quantile(0.99),
            xaddPipelinedPerSecond: xaddRate, statuses: statuses)
    }

    private func waitUntilIngested(_ connection: RedisConnection) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var settled = true
            for stream in keyspace.allIngestStreams {
                let groups = try await connection.send("XINFO", "GROUPS", stream).array ?? []
                let idle = groups.contains { ($0.fields["lag"]?.int ?? 1) == 0 && ($0.fields["pending"]?.int ?? 1) == 0 }
                if !idle { settled = false }
            }
            if settled { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkError.timedOut(delivered: 0, expected: users)
    }

    /// Runs `redis-benchmark -P 16` with XADD against the same server and returns requests per second.
    private func measureRedisBenchmark() throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["redis-benchmark", "-h", redis.host, "-p", String(redis.port), "-P", "16", "-n", "300000", "-q"]
        if let password = redis.password { arguments += ["-a", password] }
        if let user = redis.user { arguments += ["--user", user] }
        arguments += ["XADD", "herald-bench:xadd-yardstick", "MAXLEN", "~", "100000", "*", "event", String(repeating: "x", count: 200)]
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        // The last report line reads "XADD …: 412345.67 requests per second, p50=…".
        guard let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).last(where: { $0.contains("requests per second") }),
            let number = line.split(separator: ":").last?.split(separator: " ").first.flatMap({ Double($0) })
        else { throw BenchmarkError.redisBenchmark(text) }
        return number
    }
}
