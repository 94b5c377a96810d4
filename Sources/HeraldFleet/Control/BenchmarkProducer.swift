/// How the benchmark's track events reach the fleet.
public enum BenchmarkProducer: Sendable, Hashable {
    /// Pipelined `XADD`s to the ingest shards, as a Redis producer does.
    case redis
    /// Segment `POST /v1/batch` requests to a running `herald-edge` at `url` (`http://127.0.0.1:8080`),
    /// `batchSize` messages each, `concurrency` requests in flight, as an SDK does.
    case edge(url: String, writeKey: String, batchSize: Int, concurrency: Int)

    /// `redis` or `edge`, for the summary.
    public var label: String {
        switch self {
        case .redis: return "redis"
        case .edge: return "edge"
        }
    }
}
