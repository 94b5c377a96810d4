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
    let sampler = try process.metricsSampler([
        MetricsSampler.streamGroups(group: keyspace.ingestGroup, streams: { [keyspace.ingest] }, metrics: process.metrics)
    ])
    return sampler + (0..<process.configuration.concurrency).map { index in
        var options = process.workerOptions(group: keyspace.ingestGroup, index: index)
        options.retainedStreams = [rejected]
        return StreamWorker(
            name: "ingest-\(index)", redis: process.configuration.redis, options: options,
            streams: { [keyspace.ingest] }, handler: handler, logger: process.logger, metrics: process.metrics,
            heartbeat: process.heartbeat)
    }
}
