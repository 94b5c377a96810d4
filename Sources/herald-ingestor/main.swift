import HeraldCore
import HeraldFleet

await FleetProcess.main("herald-ingestor") { process in
    let keyspace = process.configuration.keyspace
    let window = try process.configuration.milliseconds("HERALD_DEDUPE_WINDOW_MS") ?? 86_400_000
    let capacity = try process.configuration.milliseconds("HERALD_DEDUPE_CAPACITY") ?? 100_000
    let handler = IngestHandler(keyspace: keyspace, dedupeWindowMilliseconds: window, dedupeCapacityPerPartition: capacity, metrics: process.metrics)
    return (0..<process.configuration.concurrency).map { index in
        StreamWorker(
            name: "ingest-\(index)", redis: process.configuration.redis,
            options: process.workerOptions(group: keyspace.ingestGroup, index: index),
            streams: { [keyspace.ingest] }, handler: handler, logger: process.logger, metrics: process.metrics,
            heartbeat: process.heartbeat)
    }
}
