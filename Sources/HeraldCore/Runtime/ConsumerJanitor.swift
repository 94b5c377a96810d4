import Foundation

/// Keeps a consumer group's member list to the consumers that are alive: a worker that stops
/// gracefully hands its pending entries to a live consumer and leaves its groups, and every worker
/// now and then removes consumers that have held nothing for a long time (ones that were killed or
/// scaled away). `heraldctl status` then counts consumers that exist.
struct ConsumerJanitor: Sendable {
    let group: String
    let consumer: String
    /// Consumers idle this long with nothing pending are removed.
    let expiryMilliseconds: Int
    /// A consumer idle less than this counts as alive for a hand-over.
    let liveMilliseconds: Int
    let logger: Logger

    /// On a graceful stop: for each stream, give what this consumer still holds to a live consumer
    /// (keeping each entry's delivery count) and leave the group. Entries with nobody alive to take
    /// them stay, to be claimed after the idle timeout.
    func leave(_ streams: [RedisKey], connection: RedisConnection) async throws {
        for stream in streams {
            let consumers = try await connection.send(.xinfoConsumers(stream, group: group)).array?.map(\.fields) ?? []
            guard let me = consumers.first(where: { $0["name"]?.string == consumer }) else { continue }
            if (me["pending"]?.int ?? 0) > 0 {
                let heir = consumers.first {
                    $0["name"]?.string != consumer && ($0["idle"]?.int ?? .max) < Int64(liveMilliseconds)
                }
                guard let heir = heir?["name"]?.string else {
                    logger.info("leaving pending entries to be claimed", ["stream": .string(stream.rawValue), "count": .number(Double(me["pending"]?.int ?? 0))])
                    continue
                }
                let held = try await connection.send(.xpending(stream, group: group, from: "-", to: "+", count: Int(me["pending"]?.int ?? 0), consumer: consumer)).array ?? []
                let ids = held.compactMap { $0.array?.first?.string }
                if !ids.isEmpty {
                    try await connection.send(.xclaimJustID(stream, group: group, consumer: heir, ids: ids))
                    logger.info("handed pending entries over", ["stream": .string(stream.rawValue), "to": .string(heir), "count": .number(Double(ids.count))])
                }
            }
            _ = try await connection.evaluate(HeraldScripts.removeConsumer, keys: [stream], arguments: [group, consumer, 0])
        }
        logger.info("left consumer groups", ["streams": .number(Double(streams.count))])
    }

    /// Removes every other consumer of `streams` that holds nothing and has been idle for the expiry.
    func removeExpired(_ streams: [RedisKey], connection: RedisConnection) async throws {
        let replies = try await connection.pipeline(streams.map { .xinfoConsumers($0, group: group) })
        var removals: [(RedisKey, String)] = []
        for (stream, reply) in zip(streams, replies) {
            for member in (reply.array ?? []).map(\.fields) {
                guard let name = member["name"]?.string, name != consumer, member["pending"]?.int == 0,
                    (member["idle"]?.int ?? 0) >= Int64(expiryMilliseconds)
                else { continue }
                removals.append((stream, name))
            }
        }
        if removals.isEmpty { return }
        let removed = try await connection.pipeline(removals.map { stream, name in
            HeraldScripts.removeConsumer.command(keys: [stream], arguments: [group, name, expiryMilliseconds])
        })
        for ((stream, name), reply) in zip(removals, removed) where reply.int == 1 {
            logger.info("removed an idle consumer", ["stream": .string(stream.rawValue), "removed": .string(name)])
        }
    }
}
