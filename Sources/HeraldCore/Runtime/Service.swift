/// A long-running part of a process: a worker loop, a scheduler, a health endpoint.
///
/// Graceful shutdown and cancellation are separate: when `shutdown` fires, a service stops taking
/// new work, finishes and acknowledges what it holds, and returns; when its task is cancelled
/// (the drain timeout passed), it stops at once.
public protocol Service: Sendable {
    /// A short name for logs.
    var name: String { get }

    /// Runs until `shutdown` fires and in-flight work is done, or until cancelled.
    func run(shutdown: GracefulShutdown) async throws
}
