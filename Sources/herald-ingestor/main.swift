import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-ingestor") { process in
    let configuration = try IngestorConfiguration(environment: process.configuration.environment)
    let redis = configuration.fleet.redis, keyspace = configuration.fleet.keyspace
    let handler = IngestHandler(
        keyspace: keyspace, dedupeWindowMilliseconds: configuration.dedupeWindowMilliseconds,
        dedupeCapacityPerPartition: configuration.dedupeCapacity, rejectedRetention: configuration.rejectedRetention,
        metrics: process.metrics, logger: process.logger)
    // Each ingest shard is read by one ingestor at a time (a lease), so one user's events leave a
    // shard in the order they were added, however many ingestor replicas run.
    let stopped = GracefulShutdown()
    let leases = PartitionLeases(
        owner: ProcessIdentity.hostAndPID, redis: redis, keyspace: keyspace, lanes: .ingestShards(keyspace),
        leaseMilliseconds: configuration.leaseMilliseconds, workerStopped: stopped, logger: process.logger)
    var options = configuration.workers.options(group: keyspace.ingestGroup, index: 0, keyspace: keyspace)
    options.retainedStreams = keyspace.allRejectedStreams.map(configuration.rejectedRetention.on)
    options.claimAllOnAcquire = true
    let worker = StreamWorker(
        name: "ingest", redis: redis, options: options,
        streams: { leases.owned.keys.sorted().map(keyspace.ingest(shard:)) }, handler: handler, logger: process.logger,
        metrics: process.metrics, heartbeat: process.heartbeat, stopped: stopped)
    let sampler = try process.metricsSampler([
        MetricsSampler.streamGroups(group: keyspace.ingestGroup, streams: { keyspace.allIngestStreams }, metrics: process.metrics)
    ])
    return [leases, worker] + sampler
}
