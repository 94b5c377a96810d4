import Foundation

/// Runs a process's services together, each as a child of one task group: the first SIGTERM or
/// SIGINT triggers graceful shutdown, and if the services have not finished within `drainTimeout`,
/// or a second signal arrives, they are cancelled. A service that fails triggers shutdown of the
/// rest and its error is rethrown. Cancelling the task that runs the group cancels every service.
public struct ServiceGroup: Sendable {
    /// The services to run.
    public var services: [any Service]
    /// How long graceful shutdown may take before cancellation.
    public var drainTimeout: Duration
    /// The shutdown signal the services watch; trigger it to stop the group programmatically.
    public let shutdown: GracefulShutdown
    /// Where lifecycle lines go.
    public var logger: Logger

    /// How one child of the group ended: each result says why the group goes on or stops.
    enum ChildResult: Sendable {
        /// The service returned.
        case stopped(service: String)
        /// The service threw.
        case failed(service: String, error: any Error)
        /// A second signal asked for cancellation.
        case secondSignal(Int32)
        /// Shutdown was triggered and the services outlived the drain timeout.
        case drainTimedOut
        /// A helper child (the signal listener, the drain timer) ended with the group.
        case helperEnded
    }

    /// Creates a group.
    public init(services: [any Service], drainTimeout: Duration = .seconds(8), shutdown: GracefulShutdown = GracefulShutdown(), logger: Logger) {
        self.services = services
        self.drainTimeout = drainTimeout
        self.shutdown = shutdown
        self.logger = logger
    }

    /// Runs every service until all return; listens to process signals when `handleSignals` is set.
    public func run(handleSignals: Bool = true) async throws {
        let shutdown = self.shutdown
        let logger = self.logger
        let drainTimeout = self.drainTimeout
        let failure: (any Error)? = await withTaskGroup(of: ChildResult.self) { group in
            for service in services {
                group.addTask {
                    do {
                        try await service.run(shutdown: shutdown)
                        return .stopped(service: service.name)
                    } catch {
                        return .failed(service: service.name, error: error)
                    }
                }
            }
            if handleSignals {
                group.addTask {
                    var received = 0
                    for await signal in SignalShutdown.signals() {
                        received += 1
                        if received > 1 { return .secondSignal(signal) }
                        logger.info("signal received; finishing in-flight work", ["signal": .number(Double(signal))])
                        shutdown.trigger()
                    }
                    return .helperEnded
                }
            }
            group.addTask {
                await shutdown.wait()
                do {
                    try await Task.sleep(for: drainTimeout)
                } catch {
                    return .helperEnded
                }
                return .drainTimedOut
            }
            var running = services.count
            var failure: (any Error)?
            var cancelling = false
            while running > 0, let result = await group.next() {
                switch result {
                case .stopped(let name):
                    running -= 1
                    logger.info("service stopped", ["component": .string(name)])
                case .failed(let name, let error):
                    running -= 1
                    // Ending because the group (or its parent) was cancelled is not a failure to report.
                    if !shutdown.isTriggered, !cancelling, !Task.isCancelled {
                        logger.error("service failed", ["component": .string(name), "error": .string("\(error)")])
                        shutdown.trigger()
                    }
                    failure = failure ?? error
                case .secondSignal(let signal):
                    logger.warning("second signal; cancelling", ["signal": .number(Double(signal))])
                    cancelling = true
                    group.cancelAll()
                case .drainTimedOut:
                    logger.warning("drain timeout passed; cancelling", ["timeoutSeconds": .number(Double(drainTimeout.components.seconds))])
                    cancelling = true
                    group.cancelAll()
                case .helperEnded:
                    break
                }
            }
            // Every service has ended: the signal listener and the drain timer go with the group.
            group.cancelAll()
            return failure
        }
        if let failure { throw failure }
    }
}
