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
    /// The fleet's processes to watch: CPU per event and peak resident memory (Redis's own
    /// servers are found through `INFO` and added when they run on this machine).
    public var processes: [BenchmarkProcess] = []
    /// Evaluator (and sender) replicas the fleet runs: the benchmark waits until that many
    /// evaluators share the partitions' leases before it measures.
    public var replicas: Int = 1

    /// Creates a benchmark.
    public init(keyspace: Keyspace, redis: RedisConfiguration, events: Int, users: Int, timeout: Duration) {
        self.keyspace = keyspace
        self.redis = redis
        self.events = events
        self.users = users
        self.timeout = timeout
    }

    /// The id of benchmark user `index`.
    static func userId(_ index: Int) -> String { "bench-\(index)" }

    /// Runs the benchmark against the fleet (counting only the deliveries this run causes, so runs
    /// with different `runLabel`s can follow each other on one fleet): every track event at once,
    /// with redis-benchmark's pipelined XADD rate measured first as the yardstick.
    public func run() async throws -> Report {
        let session = try await open(yardstick: true)
        let report = try await measure(session, label: runLabel, pacing: nil)
        await session.connection.close()
        return report
    }

    /// Connects, finds the masters (and their redis-server processes when on this machine),
    /// measures the yardstick when asked, sends the identifies and waits until they are ingested
    /// and, with several evaluator replicas, until they share the partitions.
    func open(yardstick: Bool) async throws -> BenchmarkSession {
        let connection = RedisConnection(configuration: redis, label: "bench")
        let masters = try await connection.masters()
        guard let first = masters.first else { throw BenchmarkError.redisBenchmark("no master to measure") }
        let xaddRate = yardstick ? try measureRedisBenchmark(on: first, key: try await yardstickKey(on: first, connection)) : nil
        let publisher = EventPublisher(keyspace: keyspace, batchSize: 1000)
        let identifies = (0..<users).map { index in
            Array(#"{"type":"identify","messageId":"\#(runLabel)bench-i-\#(index)","userId":"\#(Self.userId(index))","traits":{"email":"bench-\#(index)@example.com","firstName":"User \#(index)"},"timestamp":"2026-11-22T10:00:00Z"}"#.utf8)
        }
        try await publisher.publish(payloads: identifies, connection: connection)
        try await waitUntilIngested(connection)
        try await waitForEvaluatorLeases(connection)
        return BenchmarkSession(
            connection: connection, masters: masters, publisher: publisher, xaddRate: xaddRate,
            watched: processes.map { ($0, false) } + (try await redisProcesses(masters, connection)).map { ($0, true) })
    }

    /// Track event `index` of the run labelled `label`.
    func track(_ label: String, _ index: Int) -> [UInt8] {
        Array(#"{"type":"track","messageId":"\#(label)bench-t-\#(index)","userId":"\#(Self.userId(index % users))","event":"Bench Order","properties":{"order_id":"o-\#(index)","total":\#(index % 100)},"timestamp":"2026-11-22T10:00:01Z"}"#.utf8)
    }

    /// One measured run on an open session: the track events at once (`pacing` nil) or at a steady
    /// rate, then every delivery awaited and the figures read.
    func measure(_ session: BenchmarkSession, label: String, pacing: BenchmarkPacing?) async throws -> Report {
        let connection = session.connection
        let masters = session.masters
        let baseline = try await deliveryBaseline(connection)
        let before = try await nodeCounters(masters, connection)
        let processesBefore = session.watched.map { $0.process.sample() }
        let start = Date()
        let events = pacing?.total ?? self.events
        var achievedRate = 0.0
        var backlog = 0
        if let pacing {
            let elapsed = try await producePaced(pacing, label: label, session)
            let producing: Double = elapsed / .seconds(1)
            achievedRate = Double(events) / max(0.001, producing)
            backlog = max(0, events - Int(try await deliveredSince(baseline, connection)))
        } else {
            switch producer {
            case .redis:
                var sent = 0
                while sent < events {
                    try await session.publisher.publish(payloads: (sent..<min(sent + 5000, events)).map { track(label, $0) }, connection: connection)
                    sent += 5000
                }
            case .edge(let url, let writeKey, let batchSize, let concurrency):
                try await postBatches((0..<events).map { track(label, $0) }, to: url, writeKey: writeKey, batchSize: batchSize, concurrency: concurrency)
            }
        }
        let deadline = ContinuousClock.now + timeout
        var delivered: Int64 = 0
        while ContinuousClock.now < deadline {
            delivered = try await deliveredSince(baseline, connection)
            if delivered >= Int64(events) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard delivered >= Int64(events) else { throw BenchmarkError.timedOut(delivered: Int(delivered), expected: events) }
        let after = try await nodeCounters(masters, connection)
        let usage = zip(session.watched, processesBefore).compactMap { watched, before -> BenchmarkProcessUsage? in
            guard let before, let after = watched.process.sample() else { return nil }
            return BenchmarkProcessUsage(watched.process, before: before, after: after, isRedis: watched.isRedis)
        }
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
        let seconds = max(0.001, lastSent.timeIntervalSince(start))
        var report = Report(
            events: events, eventsPerSecond: Double(events) / seconds, latency: BenchmarkLatency(latencies),
            xaddPipelinedPerSecond: pacing == nil ? session.xaddRate : nil, statuses: statuses, mode: redis.isCluster ? "cluster" : "single",
            commandsByNode: masters.map { node in
                (node.description, (after[node]?.commands ?? 0) - (before[node]?.commands ?? 0))
            },
            redisCPUSeconds: masters.reduce(0) { $0 + (after[$1]?.cpuSeconds ?? 0) - (before[$1]?.cpuSeconds ?? 0) },
            servedByNode: try await served(masters, connection), producer: producer.label)
        report.pacing = pacing
        report.achievedRate = achievedRate
        report.backlog = backlog
        report.processes = usage
        report.replicas = replicas
        return report
    }

    /// Delivery records written since `baseline`.
    func deliveredSince(_ baseline: (length: Int64, lastIDs: [RedisKey: String]), _ connection: RedisConnection) async throws -> Int64 {
        try await connection.pipeline(keyspace.allDeliveryStreams.map { RedisCommand.xlen($0) }).reduce(0) { $0 + ($1.int ?? 0) } - baseline.length
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
