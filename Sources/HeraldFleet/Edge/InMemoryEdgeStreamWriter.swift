import HeraldCore
import Synchronization

/// An edge writer that keeps everything in memory, for tests of edge routes without Redis.
public final class InMemoryEdgeStreamWriter: EdgeStreamWriter {
    /// A refused payload as it was kept.
    public struct Rejected: Sendable, Equatable {
        /// The payload, byte for byte.
        public var payload: [UInt8]
        /// Why it was refused.
        public var rejection: EventRejection
        /// The route that refused it.
        public var route: String
    }

    private let state = Mutex<(ingested: [[UInt8]], feedback: [Event], rejected: [Rejected], failure: (any Error & Sendable)?)>(([], [], [], nil))

    /// Creates an empty writer.
    public init() {}

    /// Every payload appended to ingest, in order.
    public var ingested: [[UInt8]] { state.withLock { $0.ingested } }
    /// Every feedback event appended, in order.
    public var feedbackEvents: [Event] { state.withLock { $0.feedback } }
    /// Every refused payload kept, in order.
    public var rejected: [Rejected] { state.withLock { $0.rejected } }

    /// Makes every later write throw `error` (`nil` restores writing), to test how routes answer
    /// when Redis is down.
    public func fail(with error: (any Error & Sendable)?) { state.withLock { $0.failure = error } }

    /// Records the payloads.
    public func ingest(_ payloads: [[UInt8]]) async throws {
        try state.withLock {
            if let failure = $0.failure { throw failure }
            $0.ingested += payloads
        }
    }

    /// Records the events.
    public func feedback(_ events: [Event]) async throws {
        try state.withLock {
            if let failure = $0.failure { throw failure }
            $0.feedback += events
        }
    }

    /// Records the refused payloads.
    public func reject(_ refused: [(payload: [UInt8], rejection: EventRejection)], route: String) async throws {
        try state.withLock {
            if let failure = $0.failure { throw failure }
            $0.rejected += refused.map { Rejected(payload: $0.payload, rejection: $0.rejection, route: route) }
        }
    }
}
