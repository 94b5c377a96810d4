import Foundation
import HeraldCore

/// What a Redis Cluster failover costs the fleet: a durable producer publishes `events` orders
/// (one email each) at `rate` per second, each chunk confirmed by `WAIT 1` on every master and
/// re-sent on doubt (messageIds make re-sent copies duplicates the ingestor drops), while the
/// script that started the fleet kills a master (`scripts/chaos-cluster`). When the provider's log
/// stops growing, it counts the orders whose email never reached the provider (lost) and the
/// emails that reached it more than once (duplicates). The producer's own writes are confirmed, so
/// what is lost is what the fleet acknowledged and the failover took back.
public struct FailoverBenchmark: Sendable {
    /// Where the fleet runs.
    public var keyspace: Keyspace
    /// The cluster.
    public var redis: RedisConfiguration
    /// Orders to publish.
    public var events: Int
    /// Distinct users.
    public var users: Int
    /// Orders per second.
    public var rate: Int
    /// The SMTP peer's log: one line per accepted message, its idempotency key in the second column.
    public var providerLog: URL
    /// Where the count of published orders is written as it grows, so the script can time its kill.
    public var progress: URL?
    /// How long the provider's log must stay the same before the run is over.
    public var quiet: Duration
    /// How long to wait in all.
    public var timeout: Duration

    /// Creates a run.
    public init(
        keyspace: Keyspace, redis: RedisConfiguration, events: Int, users: Int, rate: Int, providerLog: URL,
        progress: URL?, quiet: Duration = .seconds(20), timeout: Duration = .seconds(300)
    ) {
        self.keyspace = keyspace
        self.redis = redis
        self.events = events
        self.users = users
        self.rate = rate
        self.providerLog = providerLog
        self.progress = progress
        self.quiet = quiet
        self.timeout = timeout
    }

    /// The figures of one run.
    public struct Report: Sendable {
        /// Orders published (each confirmed by a replica).
        public var events: Int
        /// Orders whose email never reached the provider.
        public var lost: Int
        /// Emails that reached the provider more than once (extra copies).
        public var duplicates: Int
        /// Chunks the producer sent again because a write or its replica confirmation failed.
        public var republished: Int
        /// `HERALD_REPLICA_ACKS` of the fleet.
        public var replicaAcks: Int
        /// From the first order to the end of the quiet period.
        public var seconds: Double

        /// Human lines, then the machine-readable last line.
        public var summary: String {
            """
            published:   \(events) orders, each chunk confirmed by WAIT 1 on every master (\(republished) chunks sent again)
            lost:        \(lost) orders whose email never reached the provider
            duplicates:  \(duplicates) extra emails
            herald-failover replica_acks=\(replicaAcks) events=\(events) lost=\(lost) duplicates=\(duplicates) republished=\(republished) seconds=\(String(format: "%.1f", seconds))
            """
        }
    }

    /// Runs the producer, then waits for the provider's log to settle and counts.
    public func run(replicaAcks: Int) async throws -> Report {
        let connection = RedisConnection(configuration: redis, label: "failover-producer")
        let publisher = EventPublisher(keyspace: keyspace, batchSize: 1000)
        let started = ContinuousClock.now
        var republished = 0
        let identifies = (0..<users).map { index in
            Array(#"{"type":"identify","messageId":"fo-i-\#(index)","userId":"fo-\#(index)","traits":{"email":"fo-\#(index)@example.com","firstName":"User \#(index)"},"timestamp":"\#(ISO8601.format(Date()))"}"#.utf8)
        }
        republished += try await publishDurably(identifies, publisher, connection)
        let chunk = max(1, rate / 10)
        var sent = 0
        let clock = ContinuousClock()
        let first = clock.now
        while sent < events {
            let payloads = (sent..<min(sent + chunk, events)).map { index in
                Array(#"{"type":"track","messageId":"fo-t-\#(index)","userId":"fo-\#(index % users)","event":"Chaos Order","properties":{"order_id":"o-\#(index)","total":\#(10 + index % 90)},"timestamp":"\#(ISO8601.format(Date()))"}"#.utf8)
            }
            republished += try await publishDurably(payloads, publisher, connection)
            sent += payloads.count
            if let progress { try? Data("\(sent)\n".utf8).write(to: progress) }
            let due = first + .milliseconds(sent * 1000 / max(1, rate))
            if due > clock.now { try await Task.sleep(until: due, clock: clock) }
        }
        // The provider's log settles: no new line for `quiet`, or every order's email is there.
        var lines = providerLines()
        var changed = clock.now
        while clock.now - changed < quiet, clock.now - started < timeout {
            try await Task.sleep(for: .milliseconds(500))
            let now = providerLines()
            if now.count != lines.count { changed = clock.now }
            lines = now
            if Set(lines).count >= events, clock.now - changed > .seconds(3) { break }
        }
        let keys = Set(lines)
        let seconds = Double((clock.now - first).components.seconds) + Double((clock.now - first).components.attoseconds) / 1e18
        return Report(
            events: events, lost: max(0, events - keys.count), duplicates: lines.count - keys.count, republished: republished,
            replicaAcks: replicaAcks, seconds: seconds)
    }

    /// Publishes `payloads` until they are written and every master confirms a replica has them;
    /// returns how many times it had to send them again.
    private func publishDurably(_ payloads: [[UInt8]], _ publisher: EventPublisher, _ connection: RedisConnection) async throws -> Int {
        var again = 0
        var backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(1000))
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            do {
                try await publisher.publish(payloads: payloads, connection: connection)
                let confirmed = try await connection.onEveryMaster(.wait(replicas: 1, timeoutMilliseconds: 2000)).map { $0.int ?? 0 }
                if confirmed.allSatisfy({ $0 >= 1 }) { return again }
            } catch {
                // A master is down or failing over: send the chunk again on the next map.
            }
            again += 1
            try await Task.sleep(for: backoff.next())
        }
        throw BenchmarkError.timedOut(delivered: 0, expected: payloads.count)
    }

    /// The idempotency keys of the provider's log, one per accepted message.
    private func providerLines() -> [String] {
        guard let text = try? String(contentsOf: providerLog, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let columns = line.split(separator: "\t")
            return columns.count >= 2 ? String(columns[1]) : nil
        }
    }
}
