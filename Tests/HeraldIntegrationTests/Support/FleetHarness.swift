import Foundation
import HeraldCore
@testable import HeraldFleet
import HeraldTestSupport
import Testing

/// Which Redis a fleet test runs on: one redis-server, or a local Redis Cluster of 3 masters with a
/// replica each.
enum RedisMode: String, CaseIterable, Sendable, CustomStringConvertible {
    case single
    case cluster

    var description: String { rawValue }
}

/// A Redis (or a Redis Cluster), a keyspace of its own, an outbox directory and the fleet's
/// executables as processes.
final class FleetHarness: @unchecked Sendable {
    // @unchecked: `processes` is appended to and read only by the owning test's task.
    /// The one redis-server (in cluster mode it is started but the fleet does not use it).
    let redis: RedisServer
    /// The cluster the fleet uses in cluster mode.
    let cluster: RedisCluster?
    let keyspace: Keyspace
    let outbox: URL
    let journeys: URL
    var processes: [FleetProcessHandle] = []

    /// A fleet of `partitions` partitions; on a cluster its producers spread users over 3 ingest
    /// shards unless `ingestShards` says otherwise (on one Redis, 1: `herald:ingest` alone).
    init(partitions: Int = 4, journeys documents: [String], mode: RedisMode = .single, ingestShards: Int? = nil) throws {
        redis = try RedisServer()
        cluster = mode == .cluster ? try RedisCluster() : nil
        keyspace = testKeyspace(partitions: partitions, ingestShards: ingestShards ?? (mode == .cluster ? 3 : 1))
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herald-fleet-\(UUID().uuidString.prefix(8))")
        outbox = root.appendingPathComponent("outbox")
        journeys = root.appendingPathComponent("journeys")
        try FileManager.default.createDirectory(at: outbox, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: journeys, withIntermediateDirectories: true)
        for (index, document) in documents.enumerated() {
            try Data(document.utf8).write(to: journeys.appendingPathComponent("journey-\(index).json"))
        }
    }

    /// A connection to where the fleet keeps its data: the cluster, or the one Redis.
    func connection(label: String = "test") -> RedisConnection {
        cluster?.connection(label: label) ?? RedisConnection(configuration: redis.configuration, label: label)
    }

    /// The variables that point a process at this fleet's Redis.
    var redisEnvironment: [String: String] {
        if let cluster { return ["REDIS_CLUSTER_URLS": cluster.urls] }
        return ["REDIS_URL": redis.url]
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        redisEnvironment.merging([
            "HERALD_PREFIX": keyspace.prefix, "HERALD_PARTITIONS": String(keyspace.partitions),
            "HERALD_INGEST_SHARDS": String(keyspace.ingestShards),
            "HERALD_OUTBOX_DIR": outbox.path, "HERALD_CONFIG_DIR": Executables.packageRoot.appendingPathComponent("config").path,
            "HERALD_LEASE_MS": "1500", "HERALD_CLAIM_IDLE_MS": "1000", "HERALD_CLAIM_INTERVAL_MS": "200",
            // Senders have no built-in unsubscribe key; each fleet gets its own.
            "HERALD_UNSUBSCRIBE_SECRET": "herald-test-unsubscribe-" + UUID().uuidString,
        ]) { _, new in new }.merging(extra) { _, new in new }
    }

    /// Starts `name` with the fleet's environment plus `extra`, and without the variables in
    /// `unset` (also when the test runner's own environment has them).
    @discardableResult
    func start(_ name: String, _ extra: [String: String] = [:], unset: Set<String> = []) throws -> FleetProcessHandle {
        // The runner's own REDIS_URL must not reach a process pointed at the cluster.
        let handle = try FleetProcessHandle(name, environment: environment(extra), unset: unset.union(cluster == nil ? [] : ["REDIS_URL"]))
        processes.append(handle)
        return handle
    }

    func publishJourneys() async throws {
        _ = try await JourneyRegistry(keyspace: keyspace).publish(journeys, connection: connection(label: "publish"))
    }

    func produce(_ connection: RedisConnection, _ payloads: [String]) async throws {
        _ = try await EventPublisher(keyspace: keyspace).publish(payloads: payloads.map { Array($0.utf8) }, connection: connection)
    }

    /// Puts Herald's own feedback events (Segment JSON) on their users' partition streams, as a
    /// sender or an authenticated provider-callback edge does, bypassing `herald:ingest`.
    func feedback(_ connection: RedisConnection, _ payloads: [String]) async throws {
        let commands = try payloads.map { PartitionInput.feedbackCommand(keyspace: keyspace, event: try Event.validate(payload: Array($0.utf8))) }
        for reply in try await connection.pipeline(commands) {
            if case .error(let message) = reply { throw RedisServerError(command: "XADD feedback", message: message) }
        }
    }

    /// An evaluator handler that holds the leases of every partition, for tests that hand it
    /// entries themselves instead of running `herald-evaluator`.
    func evaluatorHandler(_ connection: RedisConnection, appliedRetention: AppliedInputRetention = .standard) async throws -> EvaluatorHandler {
        let leases = PartitionLeases(
            owner: "test", redis: redis.configuration, keyspace: keyspace, workerStopped: GracefulShutdown(),
            logger: Logger(service: "test", minimumLevel: .error))
        try await leases.balance(connection)
        #expect(leases.owned.keys.sorted() == Array(keyspace.allPartitions), "one handler owns every partition")
        return EvaluatorHandler(
            keyspace: keyspace, leases: leases, metrics: Metrics(), logger: Logger(service: "test", minimumLevel: .error),
            appliedRetention: appliedRetention)
    }

    /// The entries of every dead-letter shard, oldest first.
    func deadLetters(_ connection: RedisConnection) async throws -> [StreamEntry] {
        try await connection.allEntries(of: keyspace.allDeadLetterStreams)
    }

    /// The entries of every delivery-record shard, oldest first.
    func deliveries(_ connection: RedisConnection) async throws -> [StreamEntry] {
        try await connection.allEntries(of: keyspace.allDeliveryStreams)
    }

    /// The entries of every rejected shard, oldest first.
    func rejected(_ connection: RedisConnection) async throws -> [StreamEntry] {
        try await connection.allEntries(of: keyspace.allRejectedStreams)
    }

    func emails() -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: outbox, includingPropertiesForKeys: nil)) ?? []).filter { $0.pathExtension == "eml" }
    }

    /// Stops every process with SIGTERM and returns their exit codes. On a cluster it also fails
    /// the test when any process met a command over several slots (CROSSSLOT, refused by the
    /// client before sending) or a redirect loop: every key one command touches must share a slot.
    func stopAll(sourceLocation: SourceLocation = #_sourceLocation) -> [String: Int32] {
        var codes: [String: Int32] = [:]
        for handle in processes where handle.process.isRunning { codes[handle.name] = handle.terminate().status }
        if cluster != nil {
            for handle in processes {
                let log = handle.log
                for marker in ["different cluster hash slots", "CROSSSLOT", "kept redirecting"] where log.contains(marker) {
                    Issue.record("\(handle.name) met '\(marker)' on the cluster: \(log.split(separator: "\n").filter { $0.contains(marker) }.prefix(3))", sourceLocation: sourceLocation)
                }
            }
        }
        return codes
    }

    deinit {
        try? FileManager.default.removeItem(at: outbox.deletingLastPathComponent())
    }
}

/// Journeys for the fleet tests: short, so the real clock runs them.
enum TestJourneys {
    static let welcome = #"""
        {"id": "test-welcome", "name": "Test welcome",
         "trigger": {"behaviour": {"event": "Signed Up"}},
         "entry": {"reentry": "never"},
         "steps": [
           {"id": "hello", "send": {"channel": "email", "template": "welcome", "category": "transactional"}},
           {"id": "pause", "wait": {"duration": "1s"}},
           {"id": "follow-up", "send": {"channel": "email", "template": "welcome", "category": "transactional"}}
         ]}
        """#

    static let receipt = #"""
        {"id": "test-receipt", "name": "Test receipt",
         "trigger": {"behaviour": {"event": "Order Completed"}},
         "entry": {"reentry": "always"},
         "steps": [{"id": "receipt", "send": {"channel": "email", "template": "order-confirmation", "category": "transactional"}}]}
        """#

    static func identify(_ user: String, messageId: String) -> String {
        #"{"type":"identify","messageId":"\#(messageId)","userId":"\#(user)","traits":{"email":"\#(user)@example.com","firstName":"Ann"},"timestamp":"\#(TestTime.recent)"}"#
    }

    static func track(_ user: String, _ event: String, messageId: String, properties: String = "{}") -> String {
        #"{"type":"track","messageId":"\#(messageId)","userId":"\#(user)","event":"\#(event)","properties":\#(properties),"timestamp":"\#(TestTime.recentPlusOne)"}"#
    }
}
