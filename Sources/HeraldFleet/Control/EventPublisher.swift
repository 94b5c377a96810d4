import Foundation
import HeraldCore

/// Sends a file of Segment messages (one JSON object per line) to the ingest stream, exactly as a
/// producer's `XADD herald:ingest * event '<json>'` would.
public struct EventPublisher: Sendable {
    /// Where the stream is.
    public var keyspace: Keyspace
    /// Lines per pipelined round trip.
    public var batchSize: Int

    /// Creates a publisher.
    public init(keyspace: Keyspace, batchSize: Int = 500) {
        self.keyspace = keyspace
        self.batchSize = batchSize
    }

    /// Publishes every non-blank line of `file`; returns how many were sent. Lines are sent as they
    /// are: validating them is the ingestor's job, and it keeps any it rejects.
    @discardableResult
    public func publish(file: URL, connection: RedisConnection) async throws -> Int {
        let data = try Data(contentsOf: file)
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            .map { Array($0) }
            .map { line -> [UInt8] in line.last == UInt8(ascii: "\r") ? Array(line.dropLast()) : line }
            .filter { line in line.contains { $0 != 32 && $0 != 9 } }
        return try await publish(payloads: lines, connection: connection)
    }

    /// Publishes raw payloads; returns how many were sent.
    @discardableResult
    public func publish(payloads: [[UInt8]], connection: RedisConnection) async throws -> Int {
        var sent = 0
        var start = 0
        while start < payloads.count {
            let chunk = payloads[start..<min(start + batchSize, payloads.count)]
            let replies = try await connection.pipeline(chunk.map {
                RedisCommand.xadd(stream(for: $0), fields: [("event", $0)])
            })
            for reply in replies {
                if case .error(let message) = reply { throw RedisServerError(command: "XADD", message: message) }
            }
            sent += chunk.count
            start += batchSize
        }
        return sent
    }

    /// The ingest shard of the payload's user, by the producer rule (`Keyspace.ingestShard`); a
    /// payload without a readable user goes to shard 0, where the ingestor rejects and keeps it.
    func stream(for payload: [UInt8]) -> RedisKey {
        guard keyspace.ingestShards > 1, let json = try? JSONValue.parse(payload) else { return keyspace.ingest }
        if let user = json["userId"]?.stringValue, !user.isEmpty { return keyspace.ingest(forUser: user) }
        if let anonymous = json["anonymousId"]?.stringValue, !anonymous.isEmpty { return keyspace.ingest(forUser: "anon:" + anonymous) }
        return keyspace.ingest
    }
}
