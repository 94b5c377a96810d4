import Foundation
import HeraldCore

/// The edge's writer on Redis: pipelined `XADD`s on one shared connection.
public struct RedisEdgeStreamWriter: EdgeStreamWriter {
    private let connection: RedisConnection
    private let keyspace: Keyspace
    private let rejectedRetention: StreamRetention
    private let dedupeWindowMilliseconds: Int

    /// Creates a writer on `connection`; rejected payloads are kept within `rejectedRetention`; a
    /// feedback event whose `messageId` was written within `dedupeWindowMilliseconds` (the
    /// ingestor's `HERALD_DEDUPE_WINDOW_MS`, 24 h) is dropped.
    public init(connection: RedisConnection, keyspace: Keyspace, rejectedRetention: StreamRetention, dedupeWindowMilliseconds: Int = 86_400_000) {
        self.connection = connection
        self.keyspace = keyspace
        self.rejectedRetention = rejectedRetention
        self.dedupeWindowMilliseconds = dedupeWindowMilliseconds
    }

    /// Appends payloads to their users' ingest shards (`EventPublisher`'s producer rule).
    public func ingest(_ payloads: [[UInt8]]) async throws {
        if payloads.isEmpty { return }
        let publisher = EventPublisher(keyspace: keyspace)
        try await checked("XADD", connection.pipeline(payloads.map {
            RedisCommand.xadd(publisher.stream(for: $0), fields: [("event", $0)])
        }))
    }

    /// Appends feedback entries to their users' partition streams, each once per `messageId` within
    /// the dedupe window (`feedback.lua`): a provider redelivering a callback changes nothing.
    public func feedback(_ events: [Event]) async throws {
        if events.isEmpty { return }
        let now = Date().unixMilliseconds
        try await checked("EVALSHA feedback.lua", connection.pipeline(events.map {
            PartitionInput.dedupedFeedbackCommand(keyspace: keyspace, event: $0, nowMilliseconds: now, dedupeWindowMilliseconds: dedupeWindowMilliseconds)
        }))
    }

    /// Keeps refused payloads in `herald:rejected` with their reasons, codes and route, pipelined.
    public func reject(_ refused: [(payload: [UInt8], rejection: EventRejection)], route: String) async throws {
        if refused.isEmpty { return }
        let stream = rejectedRetention.on(keyspace.rejected)
        try await checked("XADD", connection.pipeline(refused.map {
            stream.xaddCommand(fields: [("payload", $0.payload), ("reason", $0.rejection.description), ("code", $0.rejection.code), ("route", route)])
        }))
    }

    private func checked(_ command: String, _ replies: [RESPValue]) throws {
        for reply in replies {
            if case .error(let message) = reply { throw RedisServerError(command: command, message: message) }
        }
    }
}
