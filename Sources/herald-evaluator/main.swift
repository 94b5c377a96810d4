import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-evaluator") { process in
    let configuration = try EvaluatorConfiguration(environment: process.configuration.environment)
    let redis = configuration.fleet.redis, keyspace = configuration.fleet.keyspace, loops = configuration.fleet.concurrency
    let workersStopped = (0..<loops).map { _ in GracefulShutdown() }
    let allStopped = GracefulShutdown()
    let leases = PartitionLeases(
        owner: ProcessIdentity.hostAndPID, redis: redis, keyspace: keyspace, leaseMilliseconds: configuration.leaseMilliseconds,
        workerStopped: allStopped, logger: process.logger, metrics: process.metrics)
    let handler = EvaluatorHandler(
        keyspace: keyspace, leases: leases, metrics: process.metrics, logger: process.logger,
        trailRetention: configuration.trailRetention, appliedRetention: configuration.appliedRetention, deliveries: configuration.deliveries)
    // Each owned partition belongs to exactly one loop, so per-user order holds with any concurrency.
    let workers: [any Service] = (0..<loops).map { index in
        var options = configuration.workers.options(group: keyspace.evaluatorGroup, index: index, keyspace: keyspace)
        options.claimAllOnAcquire = true
        return StreamWorker(
            name: "evaluate-\(index)", redis: redis, options: options,
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
        redis: redis, keyspace: keyspace, leases: leases, inactivityMilliseconds: configuration.userInactivityMilliseconds,
        interval: configuration.inactivitySweepInterval, logger: process.logger, metrics: process.metrics)
    return [leases, latch, sweep] + workers + sampler
}
