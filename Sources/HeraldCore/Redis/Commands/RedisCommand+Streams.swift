/// Stream and consumer-group commands. Stream ids are text (`1700000000000-0`, `-`, `+`, and
/// `(id` for an exclusive bound), as Redis writes them.
extension RedisCommand {
    /// `XADD stream [MAXLEN|MINID …] * field value …`: the new entry's id.
    public static func xadd(_ stream: RedisKey, fields: [(String, any RedisArgument)], trim: RedisStreamTrim? = nil) -> RedisCommand {
        var arguments: [any RedisArgument] = [stream]
        if let trim { arguments += trim.arguments }
        arguments.append("*")
        for (field, value) in fields {
            arguments.append(field)
            arguments.append(value)
        }
        return RedisCommand("XADD", arguments)
    }

    /// `XTRIM stream MAXLEN|MINID …`: how many entries went.
    public static func xtrim(_ stream: RedisKey, _ trim: RedisStreamTrim) -> RedisCommand { RedisCommand("XTRIM", [stream] + trim.arguments) }

    /// `XDEL stream id …`.
    public static func xdel(_ stream: RedisKey, ids: [String]) -> RedisCommand { RedisCommand("XDEL", [stream] + ids.map { $0 as any RedisArgument }) }

    /// `XLEN stream`.
    public static func xlen(_ stream: RedisKey) -> RedisCommand { RedisCommand("XLEN", [stream]) }

    /// `XRANGE stream start end [COUNT n]`, oldest first.
    public static func xrange(_ stream: RedisKey, from start: String = "-", to end: String = "+", count: Int? = nil) -> RedisCommand {
        RedisCommand("XRANGE", [stream, start, end] + (count.map { ["COUNT", $0] } ?? []))
    }

    /// `XREVRANGE stream end start [COUNT n]`, newest first.
    public static func xrevrange(_ stream: RedisKey, from end: String = "+", to start: String = "-", count: Int? = nil) -> RedisCommand {
        RedisCommand("XREVRANGE", [stream, end, start] + (count.map { ["COUNT", $0] } ?? []))
    }

    /// `XGROUP CREATE stream group start MKSTREAM`.
    public static func xgroupCreate(_ stream: RedisKey, group: String, startingAt start: String) -> RedisCommand {
        RedisCommand("XGROUP", ["CREATE", stream, group, start, "MKSTREAM"])
    }

    /// `XREADGROUP GROUP group consumer COUNT n [BLOCK ms] STREAMS stream … id …`.
    public static func xreadgroup(group: String, consumer: String, streams: [RedisKey], from id: String, count: Int, blockMilliseconds: Int?) -> RedisCommand {
        var arguments: [any RedisArgument] = ["GROUP", group, consumer, "COUNT", count]
        if let blockMilliseconds { arguments += ["BLOCK", blockMilliseconds] }
        arguments.append("STREAMS")
        arguments += streams.map { $0 as any RedisArgument }
        arguments += streams.map { _ in id as any RedisArgument }
        return RedisCommand("XREADGROUP", arguments)
    }

    /// `XACK stream group id …`.
    public static func xack(_ stream: RedisKey, group: String, ids: [String]) -> RedisCommand {
        RedisCommand("XACK", [stream, group] + ids.map { $0 as any RedisArgument })
    }

    /// `XAUTOCLAIM stream group consumer min-idle start COUNT n`.
    public static func xautoclaim(_ stream: RedisKey, group: String, consumer: String, minIdleMilliseconds: Int, start: String, count: Int) -> RedisCommand {
        RedisCommand("XAUTOCLAIM", [stream, group, consumer, minIdleMilliseconds, start, "COUNT", count])
    }

    /// `XCLAIM stream group consumer 0 id … [IDLE ms] [RETRYCOUNT n] JUSTID`: moves pending entries
    /// to `consumer` without counting a delivery.
    public static func xclaimJustID(
        _ stream: RedisKey, group: String, consumer: String, ids: [String], idleMilliseconds: Int? = nil, retryCount: Int? = nil
    ) -> RedisCommand {
        var arguments: [any RedisArgument] = [stream, group, consumer, 0] + ids.map { $0 as any RedisArgument }
        if let idleMilliseconds { arguments += ["IDLE", idleMilliseconds] }
        if let retryCount { arguments += ["RETRYCOUNT", retryCount] }
        arguments.append("JUSTID")
        return RedisCommand("XCLAIM", arguments)
    }

    /// `XPENDING stream group`: the summary (count, lowest and highest id, per-consumer counts).
    public static func xpendingSummary(_ stream: RedisKey, group: String) -> RedisCommand { RedisCommand("XPENDING", [stream, group]) }

    /// `XPENDING stream group start end count [consumer]`: one `[id, consumer, idle, deliveries]` per entry.
    public static func xpending(_ stream: RedisKey, group: String, from start: String, to end: String, count: Int, consumer: String? = nil) -> RedisCommand {
        RedisCommand("XPENDING", [stream, group, start, end, count] + (consumer.map { [$0] } ?? []))
    }

    /// `XINFO GROUPS stream`.
    public static func xinfoGroups(_ stream: RedisKey) -> RedisCommand { RedisCommand("XINFO", ["GROUPS", stream]) }

    /// `XINFO CONSUMERS stream group`.
    public static func xinfoConsumers(_ stream: RedisKey, group: String) -> RedisCommand { RedisCommand("XINFO", ["CONSUMERS", stream, group]) }
}
