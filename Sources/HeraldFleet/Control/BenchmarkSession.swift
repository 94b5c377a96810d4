import HeraldCore

/// What one benchmark invocation sets up once and its runs share: the connection, the masters,
/// the yardstick and the processes it watches.
struct BenchmarkSession: Sendable {
    /// The benchmark's own connection.
    var connection: RedisConnection
    /// Every master of the Redis the fleet uses.
    var masters: [RedisNodeAddress]
    /// Sends the events.
    var publisher: EventPublisher
    /// redis-benchmark's pipelined XADD rate, when it was measured.
    var xaddRate: Double?
    /// The processes to sample, each marked when it is a Redis server.
    var watched: [(process: BenchmarkProcess, isRedis: Bool)]
}
