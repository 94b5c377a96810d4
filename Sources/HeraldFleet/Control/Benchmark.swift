import Foundation
import HeraldCore
import HeraldDelivery

/// The end-to-end benchmark: `users` identify messages, then `events` track messages that each
/// trigger one send, through a running ingestor, evaluator and sender (with a counting sink
/// provider). Reports events per second, latency from XADD to provider call, Redis commands and
/// Redis CPU per event (summed over every master, per master on a cluster), and redis-benchmark's
/// pipelined XADD rate on the same server (on a cluster, on one master) as the yardstick.
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
    /// How the track events are sent.
    public var producer: BenchmarkProducer = .redis
    /// Prefixes every message id, so a second run against the same fleet is not deduplicated.
    public var runLabel: String = ""

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
        /// `single` or `cluster`.
        public var mode: String
        /// Commands each master processed while the track events flowed (`total_commands_processed`;
        /// a script counts once, the calls inside it are not counted).
        public var commandsByNode: [(node: String, commands: Int64)]
        /// Redis CPU (user + system) all masters spent while the track events flowed, in seconds.
        public var redisCPUSeconds: Double
        /// What each master serves: its partitions and fleet-wide stream shards.
        public var servedByNode: [String: String] = [:]
        /// `redis` or `edge`.
        public var producer: String = "redis"

        /// Commands per event over every master.
        public var commandsPerEvent: Double {
            events > 0 ? Double(commandsByNode.reduce(0) { $0 + $1.commands }) / Double(events) : 0
        }

        /// Human lines, then the machine-readable last line.
        public var summary: String {
            let ratio = xaddPipelinedPerSecond > 0 ? eventsPerSecond / xaddPipelinedPerSecond : 0
            return """
                events:            \(events) (statuses: \(statuses.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
                end to end:        \(String(format: "%.0f", eventsPerSecond)) events/s (\(producer == "edge" ? "HTTP /v1/batch → edge → " : "")ingest → evaluate → send, \(producer == "edge" ? 4 : 3) hops)
                latency XADD→send: p50 \(String(format: "%.1f", p50)) ms, p99 \(String(format: "%.1f", p99)) ms
                redis:             \(String(format: "%.2f", commandsPerEvent)) commands per event, \(String(format: "%.1f", redisMicrosecondsPerEvent)) µs Redis CPU per event (\(mode), \(commandsByNode.count) master\(commandsByNode.count == 1 ? "" : "s"))\(nodeLines)
                redis-benchmark:   \(String(format: "%.0f", xaddPipelinedPerSecond)) XADD/s pipelined (-P 16), \(mode == "cluster" ? "on one master" : "same server"), same run
                ratio:             \(String(format: "%.4f", ratio)) (Herald events/s ÷ raw pipelined XADD/s)
                herald-bench mode=\(mode) producer=\(producer) events=\(events) events_per_s=\(String(format: "%.0f", eventsPerSecond)) p50_ms=\(String(format: "%.1f", p50)) p99_ms=\(String(format: "%.1f", p99)) xadd_p16_per_s=\(String(format: "%.0f", xaddPipelinedPerSecond)) ratio=\(String(format: "%.4f", ratio)) masters=\(commandsByNode.count) commands_per_event=\(String(format: "%.2f", commandsPerEvent)) redis_cpu_us_per_event=\(String(format: "%.1f", redisMicrosecondsPerEvent))
                """
        }

        /// Redis CPU per event, in microseconds.
        public var redisMicrosecondsPerEvent: Double { events > 0 ? redisCPUSeconds * 1_000_000 / Double(events) : 0 }

        private var nodeLines: String {
            guard commandsByNode.count > 1 else { return "" }
            let total = max(1, commandsByNode.reduce(0) { $0 + $1.commands })
            return commandsByNode.map { node, commands in
                "\n                   \(node): \(commands) commands (\(String(format: "%.1f", 100 * Double(commands) / Double(total))) %), \(String(format: "%.2f", Double(commands) / Double(max(1, events)))) per event; serves \(servedByNode[node] ?? "?")"
            }.joined()
        }
    }

    /// The id of benchmark user `index`.
    static func userId(_ index: Int) -> String { "bench-\(index)" }

    /// Runs the benchmark against the fleet (counting only the deliveries this run causes, so runs
    /// with different `runLabel`s can follow each other on one fleet).
    public func run() async throws -> Report {
        let connection = RedisConnection(configuration: redis, label: "bench")
        let masters = try await connection.masters()
        guard let yardstick = masters.first else { throw BenchmarkError.redisBenchmark("no master to measure") }
        let xaddRate = try measureRedisBenchmark(on: yardstick, key: try await yardstickKey(on: yardstick, connection))
        let publisher = EventPublisher(keyspace: keyspace, batchSize: 1000)
        let identifies = (0..<users).map { index in
            Array(#"{"type":"identify","messageId":"\#(runLabel)bench-i-\#(index)","userId":"\#(Self.userId(index))","traits":{"email":"bench-\#(index)@example.com","firstName":"User \#(index)"},"timestamp":"2026-11-22T10:00:00Z"}"#.utf8)
        }
        try await publisher.publish(payloads: identifies, connection: connection)
        try await waitUntilIngested(connection)
        let baseline = try await deliveryBaseline(connection)
        let before = try await nodeCounters(masters, connection)
        let start = Date()
        let tracks = (0..<events).lazy.map { index in
            Array(#"{"type":"track","messageId":"\#(runLabel)bench-t-\#(index)","userId":"\#(Self.userId(index % users))","event":"Bench Order","properties":{"order_id":"o-\#(index)","total":\#(index % 100)},"timestamp":"2026-11-22T10:00:01Z"}"#.utf8)
        }
        switch producer {
        case .redis:
            var sent = 0
            while sent < events {
                try await publisher.publish(payloads: Array(tracks[sent..<min(sent + 5000, events)]), connection: connection)
                sent += 5000
            }
        case .edge(let url, let writeKey, let batchSize, let concurrency):
            try await postBatches(Array(tracks), to: url, writeKey: writeKey, batchSize: batchSize, concurrency: concurrency)
        }
        let deadline = ContinuousClock.now + timeout
        var delivered: Int64 = 0
        let lengths = keyspace.allDeliveryStreams.map { RedisCommand.xlen($0) }
        while ContinuousClock.now < deadline {
            delivered = try await connection.pipeline(lengths).reduce(0) { $0 + ($1.int ?? 0) } - baseline.length
            if delivered >= Int64(events) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard delivered >= Int64(events) else { throw BenchmarkError.timedOut(delivered: Int(delivered), expected: events) }
        let after = try await nodeCounters(masters, connection)
        var latencies: [Double] = []
        var statuses: [String: Int] = [:]
        var lastSent = start
        for stream in keyspace.allDeliveryStreams {
            var cursor = baseline.lastIDs[stream].map { "(" + $0 } ?? "-"
            while true {
                let reply = try await connection.send(.xrange(stream, from: cursor, count: 10_000))
                let entries = RedisConnection.parseEntries(reply.array ?? [], stream: stream)
                for entry in entries {
                    statuses[entry["status"] ?? "?", default: 0] += 1
                    if let latency = entry["latencyMs"].flatMap(Double.init) { latencies.append(latency) }
                    if let at = entry["sentAt"].flatMap(ISO8601.parse), at > lastSent { lastSent = at }
                }
                guard let last = entries.last, entries.count == 10_000 else { break }
                cursor = "(" + last.id
            }
        }
        latencies.sort()
        func quantile(_ q: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int((Double(latencies.count - 1) * q).rounded()))]
        }
        let seconds = max(0.001, lastSent.timeIntervalSince(start))
        return Report(
            events: events, eventsPerSecond: Double(events) / seconds, p50: quantile(0.5), p99: quantile(0.99),
            xaddPipelinedPerSecond: xaddRate, statuses: statuses, mode: redis.isCluster ? "cluster" : "single",
            commandsByNode: masters.map { node in
                (node.description, (after[node]?.commands ?? 0) - (before[node]?.commands ?? 0))
            },
            redisCPUSeconds: masters.reduce(0) { $0 + (after[$1]?.cpuSeconds ?? 0) - (before[$1]?.cpuSeconds ?? 0) },
            servedByNode: try await served(masters, connection), producer: producer.label)
    }

    /// The delivery records already there: their count and each shard's last id.
    private func deliveryBaseline(_ connection: RedisConnection) async throws -> (length: Int64, lastIDs: [RedisKey: String]) {
        var length: Int64 = 0
        var lastIDs: [RedisKey: String] = [:]
        for stream in keyspace.allDeliveryStreams {
            length += try await connection.send(.xlen(stream)).int ?? 0
            let last = RedisConnection.parseEntries(try await connection.send(.xrevrange(stream, count: 1)).array ?? [], stream: stream)
            if let id = last.first?.id { lastIDs[stream] = id }
        }
        return (length, lastIDs)
    }

    /// Posts `payloads` as Segment batches, `concurrency` requests at a time; throws on any refusal.
    private func postBatches(_ payloads: [[UInt8]], to url: String, writeKey: String, batchSize: Int, concurrency: Int) async throws {
        let client = HTTPClient(workers: max(1, concurrency))
        let authorization = "Basic " + Data((writeKey + ":").utf8).base64EncodedString()
        let batches = stride(from: 0, to: payloads.count, by: batchSize).map { start in
            Array("{\"batch\":[".utf8) + Array(payloads[start..<min(start + batchSize, payloads.count)].joined(separator: [UInt8(ascii: ",")])) + Array("]}".utf8)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func post(_ body: [UInt8]) async throws {
                let response = try await client.send(HTTPClientRequest(
                    method: "POST", url: url + "/v1/batch",
                    headers: [("Content-Type", "application/json"), ("Authorization", authorization)], body: body))
                guard response.status == 200 else {
                    throw BenchmarkError.edgeRefused(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
                }
            }
            while next < min(concurrency, batches.count) {
                let body = batches[next]
                group.addTask { try await post(body) }
                next += 1
            }
            while try await group.next() != nil {
                if next < batches.count {
                    let body = batches[next]
                    group.addTask { try await post(body) }
                    next += 1
                }
            }
        }
    }

    /// For each master, the partitions and fleet-wide shards whose slots it serves now, and how
    /// many of the run's users' partitions are among them.
    private func served(_ masters: [RedisNodeAddress], _ connection: RedisConnection) async throws -> [String: String] {
        guard masters.count > 1 else { return [:] }
        var partitions: [RedisNodeAddress: [Int]] = [:]
        var shards: [RedisNodeAddress: [Int]] = [:]
        for partition in keyspace.allPartitions {
            if let node = try await connection.master(serving: RedisHashSlot(keyspace.events(partition))) { partitions[node, default: []].append(partition) }
        }
        for shard in 0..<keyspace.ingestShards {
            if let node = try await connection.master(serving: RedisHashSlot(keyspace.ingest(shard: shard))) { shards[node, default: []].append(shard) }
        }
        var users: [Int: Int] = [:]
        for index in 0..<self.users { users[keyspace.partition(ofUser: Self.userId(index)), default: 0] += 1 }
        var served: [String: String] = [:]
        for node in masters {
            let owned = partitions[node] ?? []
            let share = Double(owned.reduce(0) { $0 + (users[$1] ?? 0) }) / Double(max(1, self.users))
            served[node.description] = "\(owned.count) partitions (\(String(format: "%.1f", 100 * share)) % of the users), fleet shards \((shards[node] ?? []).map(String.init).joined(separator: ","))"
        }
        return served
    }

    /// `total_commands_processed` and `used_cpu_user + used_cpu_sys` of each master.
    private func nodeCounters(_ masters: [RedisNodeAddress], _ connection: RedisConnection) async throws -> [RedisNodeAddress: (commands: Int64, cpuSeconds: Double)] {
        var counters: [RedisNodeAddress: (commands: Int64, cpuSeconds: Double)] = [:]
        for node in masters {
            let info = try await connection.send(.info("all"), toMaster: node).string ?? ""
            var fields: [Substring: Substring] = [:]
            for line in info.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon]] = line[line.index(after: colon)...]
            }
            let cpu = (fields["used_cpu_user"].flatMap { Double($0) } ?? 0) + (fields["used_cpu_sys"].flatMap { Double($0) } ?? 0)
            counters[node] = (fields["total_commands_processed"].flatMap { Int64($0) } ?? 0, cpu)
        }
        return counters
    }

    private func waitUntilIngested(_ connection: RedisConnection) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var settled = true
            for stream in keyspace.allIngestStreams {
                let groups = try await connection.send(.xinfoGroups(stream)).array ?? []
                let idle = groups.contains { ($0.fields["lag"]?.int ?? 1) == 0 && ($0.fields["pending"]?.int ?? 1) == 0 }
                if !idle { settled = false }
            }
            if settled { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchmarkError.timedOut(delivered: 0, expected: users)
    }

    /// A stream key `node` serves (on a cluster a key of another master would be answered MOVED).
    private func yardstickKey(on node: RedisNodeAddress, _ connection: RedisConnection) async throws -> String {
        for index in 0..<10_000 {
            let key = "herald-bench:{x\(index)}:xadd-yardstick"
            if try await connection.master(serving: RedisHashSlot(RedisKey(key))) == node { return key }
        }
        throw BenchmarkError.redisBenchmark("no yardstick key found for \(node)")
    }

    /// Runs `redis-benchmark -P 16` with XADD of `key` against `node` and returns requests per second.
    private func measureRedisBenchmark(on node: RedisNodeAddress, key: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["redis-benchmark", "-h", node.host, "-p", String(node.port), "-P", "16", "-n", "300000", "-q"]
        if let password = redis.password { arguments += ["-a", password] }
        if let user = redis.user { arguments += ["--user", user] }
        arguments += ["XADD", key, "MAXLEN", "~", "100000", "*", "event", String(repeating: "x", count: 200)]
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
