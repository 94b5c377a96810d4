import Foundation
import HeraldCore
import HeraldJourneys

/// Reads a user's trail from both stored forms, the compact list (the evaluator's decisions and
/// the senders' outcomes) and the older stream (no longer written; it expires), merged in time order.
public enum TrailReader {
    /// One input's decisions and when they were made.
    public struct Entry: Sendable, Hashable {
        /// When.
        public var at: Date
        /// The decisions, in order.
        public var records: [TrailRecord]
    }

    /// The newest `count` entries of `user`, oldest first.
    public static func entries(user: String, count: Int, keyspace: Keyspace, connection: RedisConnection) async throws -> [Entry] {
        let partition = keyspace.partition(ofUser: user)
        let stream = keyspace.trail(partition, user: user)
        let replies = try await connection.pipeline([
            .lrange(keyspace.trailLog(partition, user: user), from: 0, through: max(0, count - 1)),
            .xrevrange(stream, count: count),
        ])
        for reply in replies {
            if case .error(let message) = reply { throw RedisServerError(command: "LRANGE/XREVRANGE", message: message) }
        }
        // Both replies are newest first; each is put oldest first, then the two are merged by time,
        // keeping each one's own order for entries of the same millisecond (one batch's inputs).
        let compact: [Entry] = (replies[0].array ?? []).reversed().compactMap { element in
            guard let text = element.string, let decoded = TrailRecord.decodeEntry(text) else { return nil }
            return Entry(at: Date(unixMilliseconds: decoded.atMilliseconds), records: decoded.records)
        }
        let older: [Entry] = RedisConnection.parseEntries(replies[1].array ?? [], stream: stream).reversed().map { entry in
            Entry(at: Date(unixMilliseconds: entry.timestampMilliseconds), records: TrailRecord.records(in: entry))
        }
        var entries: [Entry] = []
        var compactIndex = 0
        var olderIndex = 0
        while compactIndex < compact.count || olderIndex < older.count {
            if olderIndex >= older.count || (compactIndex < compact.count && compact[compactIndex].at <= older[olderIndex].at) {
                entries.append(compact[compactIndex])
                compactIndex += 1
            } else {
                entries.append(older[olderIndex])
                olderIndex += 1
            }
        }
        return Array(entries.suffix(count))
    }
}
