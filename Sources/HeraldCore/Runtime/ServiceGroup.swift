import Foundation

/// Runs a process's services together: the first SIGTERM or SIGINT triggers graceful shutdown,
/// and if the services have not finished within `drainTimeout`, or a second signal arrives, they
/// are cancelled. A service that fails triggers shutdown of the rest and its error is rethrown.
public struct ServiceGroup: Sendable {
    /// The services to run.
    public var services: [any Service]
    /// How long graceful shutdown may take before cancellation.
    public var drainTimeout: Duration
    /// The shutdown signal the services watch; trigger it to stop the group programmatically.
    public let shutdown: GracefulShutdown
    /// Where lifecycle lines go.
    public var logger: Logger

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
        try await withThrowingTaskGroup(of: Void.self) { group in
            let servicesGroup = Task {
                try await withThrowingTaskGroup(of: Void.self) { inner in
                    for service in services {
                        inner.addTask {
                            do {
                                try await service.run(shutdown: shutdown)
                                logger.info("service stopped", ["component": .string(service.name)])
                            } catch {
                                if !shutdown.isTriggered {
                                    logger.error("service failed", ["component": .string(service.name), "error": .string("\(error)")])
                                    shutdown.trigger()
                                }
                                throw error
                            }
                        }
                    }
                    try await inner.waitForAll()
                }
            }
            if handleSignals {
                group.addTask {
                    var received = 0
                    for await signal in SignalShutdown.signals() {
                        received += 1
                        if received == 1 {
                            logger.info("signal received; finishing in-flight work", ["signal": .number(Double(signal))])
                            shutdown.trigger()
                        } else {
                            logger.warning("second signal; cancelling", ["signal": .number(Double(signal))])
                            servicesGroup.cancel()
                        }
                        if Task.isCancelled { return }
                    }
                }
            }
            group.addTask {
                await shutdown.wait()
                if await !GracefulShutdown().sleep(for: drainTimeout) { return }
                logger.warning("drain timeout passed; cancelling", ["timeoutSeconds": .number(Double(drainTimeout.components.seconds))])
                servicesGroup.cancel()
            }
            defer { group.cancelAll() }
            try await servicesGroup.value
        }
    }
}
