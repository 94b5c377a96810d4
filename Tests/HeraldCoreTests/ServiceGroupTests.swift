import Foundation
import HeraldCore
import HeraldTestSupport
import Synchronization
import Testing

/// The service group: graceful shutdown, the drain timeout, failures and the parent's cancellation.
@Suite struct ServiceGroupTests {
    /// What a test service saw.
    final class Journal: Sendable {
        private let lines = Mutex<[String]>([])
        func note(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// A service that waits for shutdown and then returns, or ignores it and waits for cancellation.
    struct Waiter: Service {
        let name: String
        let journal: Journal
        var ignoresShutdown = false
        var failure: String?

        func run(shutdown: GracefulShutdown) async throws {
            journal.note("\(name) started")
            if let failure { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: failure]) }
            if ignoresShutdown {
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch {
                    journal.note("\(name) cancelled")
                    throw error
                }
            }
            await shutdown.wait()
            journal.note(Task.isCancelled ? "\(name) cancelled" : "\(name) drained")
        }
    }

    let logger = Logger(service: "test", minimumLevel: .error)

    @Test func shutdownDrainsEveryServiceAndTheGroupReturns() async throws {
        let journal = Journal()
        let group = ServiceGroup(services: [Waiter(name: "a", journal: journal), Waiter(name: "b", journal: journal)], logger: logger)
        let running = Task { try await group.run(handleSignals: false) }
        #expect(try await eventually { journal.all.filter { $0.hasSuffix("started") }.count == 2 })
        group.shutdown.trigger()
        try await running.value
        #expect(Set(journal.all.filter { !$0.hasSuffix("started") }) == ["a drained", "b drained"])
    }

    @Test func aServiceThatOutlivesTheDrainTimeoutIsCancelled() async throws {
        let journal = Journal()
        let group = ServiceGroup(
            services: [Waiter(name: "stuck", journal: journal, ignoresShutdown: true), Waiter(name: "polite", journal: journal)],
            drainTimeout: .milliseconds(200), logger: logger)
        let running = Task { try await group.run(handleSignals: false) }
        #expect(try await eventually { journal.all.filter { $0.hasSuffix("started") }.count == 2 })
        group.shutdown.trigger()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(journal.all.contains("stuck cancelled"))
        #expect(journal.all.contains("polite drained"), "the polite service finished before the timeout")
    }

    @Test func aFailingServiceStopsTheOthersAndItsErrorComesOut() async throws {
        let journal = Journal()
        let group = ServiceGroup(
            services: [Waiter(name: "broken", journal: journal, failure: "no such thing"), Waiter(name: "other", journal: journal)],
            logger: logger)
        await #expect(throws: CocoaError.self) { try await group.run(handleSignals: false) }
        #expect(journal.all.contains("other drained"))
        #expect(group.shutdown.isTriggered)
    }

    @Test func cancellingTheParentTaskCancelsEveryService() async throws {
        let journal = Journal()
        let group = ServiceGroup(
            services: [Waiter(name: "stuck", journal: journal, ignoresShutdown: true), Waiter(name: "waiting", journal: journal)],
            drainTimeout: .seconds(3600), logger: logger)
        let running = Task { try await group.run(handleSignals: false) }
        #expect(try await eventually { journal.all.filter { $0.hasSuffix("started") }.count == 2 })
        running.cancel()
        // The services are children of the group's task: no unstructured task outlives the parent.
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(Set(journal.all.filter { !$0.hasSuffix("started") }) == ["stuck cancelled", "waiting cancelled"])
        #expect(!group.shutdown.isTriggered, "cancellation is not graceful shutdown")
    }
}
