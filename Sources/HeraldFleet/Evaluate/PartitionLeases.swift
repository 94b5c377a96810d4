import Foundation
import HeraldCore
import Synchronization

/// Ownership of numbered lanes among replicas: evaluator partitions (`LeaseSet.partitions`) or
/// ingest shards (`LeaseSet.ingestShards`). Each replica holds fenced leases on its fair share of
/// lanes, so one user's inputs are handled by one replica at a time, in stream order.
///
/// Replicas announce themselves in a sorted set; each takes at most ⌈lanes / replicas⌉ and
/// gives back the surplus when another joins. Every write the evaluator makes carries the lease
/// value (owner and fencing token), and `apply-effects.lua` refuses it once the lease has moved.
public final class PartitionLeases: Service {
    /// A short name for logs.
    public let name = "leases"
    /// This replica's owner name.
    public let owner: String
    private let configuration: RedisConfiguration
    private let keyspace: Keyspace
    private let lanes: LeaseSet
    private let leaseMilliseconds: Int
    private let renewInterval: Duration
    private let workerStopped: GracefulShutdown
    private let logger: Logger
    private let metrics: Metrics?
    private let held = Mutex<[Int: String]>([:])

    /// Creates the lease keeper. It releases its leases after `workerStopped` fires (the worker has
    /// finished its in-flight batch) or shortly after shutdown. Leases are renewed every third of
    /// their time unless `renewInterval` says otherwise, so one slow round never lets them lapse.
    public init(
        owner: String, redis configuration: RedisConfiguration, keyspace: Keyspace, lanes: LeaseSet? = nil,
        leaseMilliseconds: Int = 10_000, renewInterval: Duration? = nil, workerStopped: GracefulShutdown, logger: Logger,
        metrics: Metrics? = nil
    ) {
        self.metrics = metrics
        self.owner = owner
        self.configuration = configuration
        self.keyspace = keyspace
        self.lanes = lanes ?? .partitions(keyspace)
        self.leaseMilliseconds = leaseMilliseconds
        self.renewInterval = min(renewInterval ?? .milliseconds(leaseMilliseconds / 3), .milliseconds(leaseMilliseconds / 2))
        self.workerStopped = workerStopped
        self.logger = logger.with(["owner": .string(owner)])
    }

    /// The lanes (partitions or shards) held now, with their lease values.
    public var owned: [Int: String] { held.withLock { $0 } }

    /// Keeps leases until shutdown, then releases them.
    public func run(shutdown: GracefulShutdown) async throws {
        let connection = RedisConnection(configuration: configuration, label: "leases")
        var backoff = Backoff()
        while !shutdown.isTriggered && !Task.isCancelled {
            do {
                try await balance(connection)
                backoff.reset()
                await shutdown.sleep(for: renewInterval)
            } catch {
                logger.warning("lease upkeep failed; retrying", ["error": .string("\(error)")])
                await shutdown.sleep(for: backoff.next())
            }
        }
        // Give the worker time to finish its batch under the leases, then hand them over at once
        // instead of making the next owner wait for them to expire.
        _ = await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.workerStopped.wait() }
            group.addTask { _ = await GracefulShutdown().sleep(for: .seconds(5)) }
            await group.next()
            group.cancelAll()
        }
        let partitions = Array(owned.keys)
        _ = try? await connection.pipeline(partitions.map { leaseCommand("release", $0) } + [.zrem(lanes.members, members: [owner])])
        held.withLock { $0 = [:] }
        publishOwnership([:])
        logger.info("leases released", ["partitions": .array(partitions.sorted().map { .number(Double($0)) })])
        await connection.close()
    }

    /// One round: announce, renew, give back surplus, take free partitions up to the fair share.
    func balance(_ connection: RedisConnection) async throws {
        let nowMs = Date().unixMilliseconds
        let presence = try await connection.pipeline([
            .zadd(lanes.members, score: nowMs, member: owner),
            .zremrangeByScore(lanes.members, from: .negativeInfinity, to: .inclusive(nowMs - Int64(leaseMilliseconds * 3))),
            .zcard(lanes.members),
        ])
        let replicas = max(1, Int(presence[2].int ?? 1))
        let fairShare = (lanes.count + replicas - 1) / replicas
        var current = owned
        let renewed = try await connection.pipeline(current.keys.sorted().map { leaseCommand("renew", $0) })
        for (partition, reply) in zip(current.keys.sorted(), renewed) where reply.string == nil {
            current.removeValue(forKey: partition)
            logger.warning("lease lost", ["partition": .number(Double(partition))])
        }
        if current.count > fairShare {
            let surplus = current.keys.sorted().suffix(current.count - fairShare)
            _ = try await connection.pipeline(surplus.map { leaseCommand("release", $0) })
            for partition in surplus { current.removeValue(forKey: partition) }
            logger.info("leases handed over", ["partitions": .array(surplus.map { .number(Double($0)) })])
        }
        if current.count < fairShare {
            // Start at a different partition per owner so replicas don't all race for the same ones.
            let offset = keyspace.partition(ofUser: owner)
            let candidates = (0..<lanes.count).map { ($0 + offset) % lanes.count }.filter { current[$0] == nil }
            let replies = try await connection.pipeline(candidates.map { leaseCommand("acquire", $0) })
            var acquired: [Int] = []
            for (partition, reply) in zip(candidates, replies) {
                guard let value = reply.string else { continue }
                if current.count < fairShare {
                    current[partition] = value
                    acquired.append(partition)
                } else {
                    _ = try await connection.send(leaseCommand("release", partition))
                }
            }
            if !acquired.isEmpty { logger.info("leases acquired", ["partitions": .array(acquired.sorted().map { .number(Double($0)) })]) }
        }
        held.withLock { $0 = current }
        publishOwnership(current)
    }

    /// `herald_partition_lease_owned`: 1 for each partition held, 0 for every other, so the
    /// fleet-wide maximum per partition is 0 exactly when no evaluator holds it.
    private func publishOwnership(_ current: [Int: String]) {
        guard let metrics else { return }
        for partition in 0..<lanes.count {
            metrics.set(.partitionLeaseOwned, to: current[partition] == nil ? 0 : 1, ["partition": String(partition), "owner": owner])
        }
    }

    private func leaseCommand(_ action: String, _ partition: Int) -> RedisCommand {
        HeraldScripts.lease.command(keys: [lanes.lease(partition), lanes.fence(partition)], arguments: [action, owner, leaseMilliseconds])
    }
}
