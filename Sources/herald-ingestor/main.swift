import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-ingestor") { process in
    let keyspace = process.configuration.keyspace
    let window = try process.configuration.milliseconds("HERALD_DEDUPE_WINDOW_MS") ?? 86_400_000
    let capacity = try process.configuration.milliseconds("HERALD_DEDUPE_CAPACITY") ?? 100_000
    let rejected = try StreamRetention.rejected(keyspace.rejected, environment: process.configuration.environment)
    let handler = IngestHandler(
        keyspace: keyspace, dedupeWindowMilliseconds: window, dedupeCapacityPerPartition: capacity, rejectedRetention: rejected,
        metrics: process.metrics, logger: process.logger)
    // Each ingest shard is read by one ingestor at a time (a lease), so one user's events leave a
    // shard in the order they were added, however many ingestor replicas run.
    let stopped = GracefulShutdown()
    let leases = PartitionLeases(
        owner: ProcessIdentity.hostAndPID, redis: process.configuration.redis, keyspace: keyspace, lanes: .ingestShards(keyspace),
        leaseMilliseconds: try process.configuration.milliseconds("HERALD_LEASE_MS") ?? 10_000,
        workerStopped: stopped, logger: process.logger)
    var options = try process.workerOptions(group: keyspace.ingestGroup, index: 0)
    options.retainedStreams = keyspace.allRejectedStreams.map(rejected.on)
    options.claimAllOnAcquire = true
    let worker = StreamWorker(
        name: "ingest", redis: process.configuration.redis, options: options,
        streams: { leases.owned.keys.sorted().map(keyspace.ingest(shard:)) }, handler: handler, logger: process.logger,
        metrics: process.metrics, heartbeat: process.heartbeat, stopped: stopped)
    let sampler = try process.metricsSampler([
        MetricsSampler.streamGroups(group: keyspace.ingestGroup, streams: { keyspace.allIngestStreams }, metrics: process.metrics)
    ])
    return [leases, worker] + sampler
}
