import Foundation
import HeraldCore

/// One row of `heraldctl status`: a stream and one of its consumer groups.
public struct StreamStatus: Sendable, Hashable {
    /// The stream.
    public var stream: String
    /// Entries in the stream.
    public var length: Int64
    /// The consumer group, or `-` for a stream nobody consumes (rejected, deliveries …).
    public var group: String
    /// Entries delivered to the group but not acknowledged.
    public var pending: Int64
    /// Live consumers in the group: ones that read within the last minute (a killed replica stays a
    /// member until its entries are claimed and it expires, but is not counted).
    public var consumers: Int64
    /// Entries not yet delivered to the group (Redis 7's `lag`), if known.
    public var lag: Int64?

    /// A consumer that read within this long counts as live.
    public static let liveIdleMilliseconds: Int64 = 60_000

    /// Reads the status of every existing stream of the keyspace.
    public static func collect(keyspace: Keyspace, connection: RedisConnection) async throws -> [StreamStatus] {
        let streams = keyspace.allStreams
        // One pipeline: XINFO answers an error for a stream that does not exist, which skips it.
        let replies = try await connection.pipeline(streams.flatMap { [RedisCommand.xlen($0), .xinfoGroups($0)] })
        var rows: [StreamStatus] = []
        for (offset, stream) in streams.enumerated() {
            let length = replies[offset * 2].int ?? 0
            guard let groups = replies[offset * 2 + 1].array else { continue }
            if groups.isEmpty {
                rows.append(StreamStatus(stream: stream.rawValue, length: length, group: "-", pending: 0, consumers: 0, lag: nil))
            }
            for group in groups {
                let info = group.fields
                rows.append(StreamStatus(
                    stream: stream.rawValue, length: length, group: info["name"]?.string ?? "?",
                    pending: info["pending"]?.int ?? 0, consumers: 0, lag: info["lag"]?.int))
            }
        }
        let grouped = rows.indices.filter { rows[$0].group != "-" }
        let members = try await connection.pipeline(grouped.map { .xinfoConsumers(RedisKey(rows[$0].stream), group: rows[$0].group) })
        for (index, reply) in zip(grouped, members) {
            rows[index].consumers = Int64((reply.array ?? []).filter { ($0.fields["idle"]?.int ?? .max) < liveIdleMilliseconds }.count)
        }
        return rows
    }

    /// Folds the per-partition streams into one row per kind (`herald:{p*}:events` …): lengths,
    /// pending and lag summed, consumers the most any partition has.
    public static func aggregated(_ rows: [StreamStatus]) -> [StreamStatus] {
        var order: [String] = []
        var folded: [String: StreamStatus] = [:]
        for row in rows {
            let name = row.stream.replacingOccurrences(of: #"\{p[0-9]+\}"#, with: "{p*}", options: .regularExpression)
            let key = name + " " + row.group
            if var existing = folded[key] {
                existing.length += row.length
                existing.pending += row.pending
                existing.consumers = max(existing.consumers, row.consumers)
                existing.lag = existing.lag.map { $0 + (row.lag ?? 0) } ?? row.lag
                folded[key] = existing
            } else {
                order.append(key)
                var first = row
                first.stream = name
                folded[key] = first
            }
        }
        return order.compactMap { folded[$0] }
    }

    /// Renders rows as an aligned text table.
    public static func table(_ rows: [StreamStatus]) -> String {
        let header = ["STREAM", "LENGTH", "GROUP", "PENDING", "CONSUMERS", "LAG"]
        let cells = rows.map { row in
            [row.stream, String(row.length), row.group, String(row.pending), String(row.consumers), row.lag.map(String.init) ?? "-"]
        }
        return TextTable.render(header: header, rows: cells)
    }
}
