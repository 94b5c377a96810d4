/// Stream and consumer-group commands.
extension RedisConnection {
    /// Creates `group` on `stream` (and the stream itself) if it does not exist yet; an existing
    /// group is left as it is, so every replica can call this at start.
    public func ensureGroup(_ group: String, on stream: RedisKey, startingAt start: String = "0") async throws {
        do {
            try await send(.xgroupCreate(stream, group: group, startingAt: start))
        } catch let error as RedisServerError where error.code == "BUSYGROUP" {
            return
        }
    }

    /// Appends an entry and returns its id.
    @discardableResult
    public func xadd(_ stream: RedisKey, fields: [(String, any RedisArgument)], maxLength: Int? = nil) async throws -> String {
        try await send(.xadd(stream, fields: fields, trim: maxLength.map { .maxLength($0, approximate: true) })).string ?? ""
    }

    /// Reads new entries (`>`) or this consumer's pending ones (`0`) from several streams.
    public func xreadgroup(
        group: String, consumer: String, streams: [RedisKey], from id: String = ">", count: Int, blockMilliseconds: Int?
    ) async throws -> [StreamEntry] {
        let reply = try await send(.xreadgroup(group: group, consumer: consumer, streams: streams, from: id, count: count, blockMilliseconds: blockMilliseconds))
        guard let perStream = reply.array else { return [] }
        var entries: [StreamEntry] = []
        for streamReply in perStream {
            guard let pair = streamReply.array, pair.count == 2, let name = pair[0].string, let list = pair[1].array else { continue }
            entries += Self.parseEntries(list, stream: RedisKey(name))
        }
        return entries
    }

    /// Acknowledges entries of one stream.
    public static func xackCommand(_ stream: RedisKey, group: String, ids: [String]) -> RedisCommand {
        .xack(stream, group: group, ids: ids)
    }

    /// Claims entries idle longer than `minIdleMilliseconds` at any consumer. Returns the claimed
    /// entries and the ids that were in the pending list but deleted from the stream.
    public func xautoclaim(
        _ stream: RedisKey, group: String, consumer: String, minIdleMilliseconds: Int, start: String = "0-0", count: Int
    ) async throws -> (next: String, entries: [StreamEntry], deleted: [String]) {
        let reply = try await send(.xautoclaim(stream, group: group, consumer: consumer, minIdleMilliseconds: minIdleMilliseconds, start: start, count: count))
        guard let parts = reply.array, parts.count >= 2, let next = parts[0].string, let list = parts[1].array else {
            throw RedisClientError.unexpectedReply(command: "XAUTOCLAIM", reply: "\(reply)")
        }
        // Entries deleted while pending come back as nil entries (Redis 6.2) or in a third list (7.0+).
        var deleted = parts.count > 2 ? (parts[2].array ?? []).compactMap(\.string) : []
        var entries: [StreamEntry] = []
        for item in list {
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else { continue }
            if pair[1].isNull { deleted.append(id); continue }
            entries += Self.parseEntries([item], stream: stream)
        }
        return (next, entries, deleted)
    }

    /// How many times each pending entry in `ids` has been delivered.
    public func deliveryCounts(_ stream: RedisKey, group: String, ids: [String]) async throws -> [String: Int] {
        guard let first = ids.min(by: StreamID.less), let last = ids.max(by: StreamID.less) else { return [:] }
        let reply = try await send(.xpending(stream, group: group, from: first, to: last, count: max(ids.count, 1) * 4))
        var counts: [String: Int] = [:]
        for item in reply.array ?? [] {
            guard let fields = item.array, fields.count == 4, let id = fields[0].string, let count = fields[3].int else { continue }
            counts[id] = Int(count)
        }
        return counts
    }

    /// The newest `count` entries that pass `keep` over the shards of one stream family
    /// (`herald:deliveries`, `herald:deliveries:{i1}`, …), merged by entry id, oldest first. Each
    /// shard is read backwards a page at a time until it has given `count` kept entries.
    public func latestEntries(
        of streams: [RedisKey], count: Int, keep: (StreamEntry) -> Bool = { _ in true }
    ) async throws -> [StreamEntry] {
        var found: [StreamEntry] = []
        for stream in streams {
            var kept = 0
            var end = "+"
            while kept < count {
                let page = Self.parseEntries(try await send(.xrevrange(stream, from: end, count: 1000)).array ?? [], stream: stream)
                let passed = page.filter(keep).prefix(count - kept)
                found += passed
                kept += passed.count
                guard let last = page.last, page.count == 1000 else { break }
                end = "(" + last.id
            }
        }
        return Array(found.sorted { StreamID.less($0.id, $1.id) }.suffix(count))
    }

    /// Every entry of the shards of one stream family, merged by entry id.
    public func allEntries(of streams: [RedisKey]) async throws -> [StreamEntry] {
        var found: [StreamEntry] = []
        for stream in streams {
            found += Self.parseEntries(try await send(.xrange(stream)).array ?? [], stream: stream)
        }
        return found.sorted { StreamID.less($0.id, $1.id) }
    }


    /// Parses an XRANGE-shaped list of `[id, [field, value …]]` pairs.
    public static func parseEntries(_ list: [RESPValue], stream: RedisKey) -> [StreamEntry] {
        var entries: [StreamEntry] = []
        entries.reserveCapacity(list.count)
        for item in list {
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else { continue }
            let flat = pair[1].array ?? []
            var fields: [(String, [UInt8])] = []
            fields.reserveCapacity(flat.count / 2)
            var index = 0
            while index + 1 < flat.count {
                fields.append((flat[index].string ?? "", flat[index + 1].bytes ?? []))
                index += 2
            }
            entries.append(StreamEntry(stream: stream, id: id, fields: fields))
        }
        return entries
    }
}

/// Ordering of stream ids (`ms-seq`).
enum StreamID {
    static func less(_ a: String, _ b: String) -> Bool {
        func parts(_ id: String) -> (UInt64, UInt64) {
            let pieces = id.split(separator: "-")
            return (UInt64(pieces.first ?? "0") ?? 0, pieces.count > 1 ? UInt64(pieces[1]) ?? 0 : 0)
        }
        return parts(a) < parts(b)
    }

    /// The smallest id after `id`.
    static func successor(of id: String) -> String {
        let pieces = id.split(separator: "-")
        let milliseconds = pieces.first.map(String.init) ?? "0"
        let sequence = pieces.count > 1 ? UInt64(pieces[1]) ?? 0 : 0
        return "\(milliseconds)-\(sequence + 1)"
    }
}
