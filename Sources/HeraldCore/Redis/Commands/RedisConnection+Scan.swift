extension RedisConnection {
    /// Walks every key matching `pattern` with SCAN, a page at a time, on every master that can
    /// hold one: on a cluster, only the master of the pattern's hash tag when the pattern starts
    /// with a fixed `…{tag}` (every key with that tag lives in its slot), otherwise each master.
    public func scanKeys(matching pattern: String, count: Int = 1000, _ page: ([RedisKey]) async throws -> Void) async throws {
        var nodes = try await masters()
        if isCluster, let tagged = Self.fixedHashTagPrefix(of: pattern) {
            if let owner = try await master(serving: RedisHashSlot(RedisKey(tagged))) { nodes = [owner] }
        }
        for node in nodes {
            var cursor = "0"
            repeat {
                let reply = try await send(.scan(cursor: cursor, matching: pattern, count: count), toMaster: node)
                if case .error(let message) = reply { throw RedisServerError(command: "SCAN", message: message) }
                guard let parts = reply.array, parts.count == 2, let next = parts[0].string else {
                    throw RedisClientError.unexpectedReply(command: "SCAN", reply: "\(reply)")
                }
                cursor = next
                let keys = (parts[1].array ?? []).compactMap { $0.string.map(RedisKey.init(rawValue:)) }
                if !keys.isEmpty { try await page(keys) }
            } while cursor != "0"
        }
    }

    /// The part of `pattern` up to and including its first hash tag, when no glob character comes
    /// before the tag's end.
    static func fixedHashTagPrefix(of pattern: String) -> String? {
        guard let open = pattern.firstIndex(of: "{"), let close = pattern[open...].firstIndex(of: "}"),
            pattern.index(after: open) < close
        else { return nil }
        let prefix = pattern[...close]
        return prefix.contains(where: { "*?[\\".contains($0) }) ? nil : String(prefix)
    }
}
