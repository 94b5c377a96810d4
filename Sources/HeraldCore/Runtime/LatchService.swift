/// Triggers `then` once every signal in `waitingFor` has fired: e.g. "all worker loops stopped",
/// which lets the lease keeper release partitions only after in-flight batches are applied.
public struct LatchService: Service {
    /// A short name for logs.
    public let name = "latch"
    private let signals: [GracefulShutdown]
    private let target: GracefulShutdown

    /// Creates a latch.
    public init(waitingFor signals: [GracefulShutdown], then target: GracefulShutdown) {
        self.signals = signals
        self.target = target
    }

    /// Waits for every signal, triggers the target, and returns.
    public func run(shutdown: GracefulShutdown) async throws {
        for signal in signals { await signal.wait() }
        target.trigger()
    }
}
