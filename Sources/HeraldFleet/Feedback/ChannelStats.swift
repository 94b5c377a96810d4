import HeraldCore

/// Delivery counters per channel and status, summed over every partition's
/// `{pN}:delivery-stats` hash (`heraldctl channels stats`).
public struct ChannelStats: Sendable, Hashable {
    /// channel → status → count.
    public var counts: [String: [String: Int64]]

    /// Creates stats from counts.
    public init(counts: [String: [String: Int64]] = [:]) {
        self.counts = counts
    }

    /// Adds one partition's hash reply (field `<channel>:<status>`, value a count).
    public mutating func add(hashReply flat: [RESPValue]) {
        for (field, reply) in RESPValue.array(flat).fieldPairs {
            guard let separator = field.firstIndex(of: ":") else { continue }
            // HINCRBYFLOAT stores whole numbers as "3"; read either form.
            guard let text = reply.string, let value = Int64(text) ?? Double(text).map({ Int64($0) }) else { continue }
            let channel = String(field[..<separator])
            let status = String(field[field.index(after: separator)...])
            counts[channel, default: [:]][status, default: 0] += value
        }
    }

    /// Reads and sums every partition's counters in one pipeline.
    public static func collect(keyspace: Keyspace, connection: RedisConnection) async throws -> ChannelStats {
        let replies = try await connection.pipeline(keyspace.allPartitions.map { .hgetall(keyspace.deliveryStats($0)) })
        var stats = ChannelStats()
        for reply in replies { stats.add(hashReply: reply.array ?? []) }
        return stats
    }

    /// The statuses shown as columns, in pipeline order.
    public static let columns = ["sent", "delivered", "opened", "clicked", "bounced", "failed", "suppressed", "deferred", "retrying", "duplicate"]

    /// One row per channel with a count per status.
    public var table: String {
        let rows = counts.keys.sorted().map { channel in
            [channel] + Self.columns.map { String(counts[channel]?[$0] ?? 0) }
        }
        if rows.isEmpty { return "(no delivery counters yet)" }
        return TextTable.render(header: ["channel"] + Self.columns, rows: rows)
    }
}
