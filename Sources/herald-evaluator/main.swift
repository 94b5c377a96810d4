import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-evaluator") { process in
    let keyspace = process.configuration.keyspace
    let loops = process.configuration.concurrency
    let workersStopped = (0..<loops).map { _ in GracefulShutdown() }
    let allStopped = GracefulShutdown()
    let leases = PartitionLeases(
        owner: ProcessIdentity.hostAndPID, redis: process.configuration.redis, keyspace: keyspace,
        leaseMilliseconds: try process.configuration.milliseconds("HERALD_LEASE_MS") ?? 10_000,
        workerStopped: allStopped, logger: process.logger, metrics: process.metrics)
    let handler = EvaluatorHandler(
        keyspace: keyspace, leases: leases, metrics: process.metrics, logger: process.logger,
        trailRetention: try TrailRetention.fromEnvironment(process.configuration.environment),
        appliedRetention: try AppliedInputRetention.fromEnvironment(
            process.configuration.environment,
            claimIdleMilliseconds: try process.workerOptions(group: keyspace.evaluatorGroup, index: 0).claimMinIdleMilliseconds),
        deliveries: try DeliveryLogRetention.fromEnvironment(process.configuration.environment))
    // Each owned partition belongs to exactly one loop, so per-user order holds with any concurrency.
    let workers: [any Service] = try (0..<loops).map { index in
        var options = try process.workerOptions(group: keyspace.evaluatorGroup, index: index)
        options.claimAllOnAcquire = true
        return StreamWorker(
            name: "evaluate-\(index)", redis: process.configuration.redis, options: options,
            streams: { leases.owned.keys.sorted().filter { $0 % loops == index }.map(keyspace.events) },
            handler: handler, logger: process.logger, metrics: process.metrics, heartbeat: process.heartbeat,
            stopped: workersStopped[index])
    }
    let latch = LatchService(waitingFor: workersStopped, then: allStopped)
    // Every partition's events stream, owned or not: an unowned partition's backlog is what an
    // operator most needs to see.
    let sampler = try process.metricsSampler([
        MetricsSampler.streamGroups(group: keyspace.evaluatorGroup, streams: { keyspace.allPartitions.map(keyspace.events) }, metrics: process.metrics)
    ])
    let sweep = InactivitySweep(
        redis: process.configuration.redis, keyspace: keyspace, leases: leases,
        inactivityMilliseconds: Int64(try process.configuration.milliseconds("HERALD_USER_INACTIVITY_MS") ?? Int(InactivitySweep.defaultInactivityMilliseconds)),
        interval: .milliseconds(try process.configuration.milliseconds("HERALD_USER_INACTIVITY_SWEEP_MS") ?? 60_000),
        logger: process.logger, metrics: process.metrics)
    return [leases, latch, sweep] + workers + sampler
}
