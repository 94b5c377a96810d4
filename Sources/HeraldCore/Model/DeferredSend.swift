import Foundation

/// A send the scheduler holds back until `due` (quiet hours, a retry's backoff, a frequency cap's
/// deferral), then puts back on its channel's outbox. One type writes and reads its two halves:
///
/// - the member of the partition's timers sorted set (`{pN}:timers`, score = due time in
///   milliseconds): `send|<idempotency key>|<attempt>|<due ms>`, unique per attempt;
/// - the field of the timer payloads hash (`{pN}:timer-payloads`) under that member:
///   `send:<channel>\n<request JSON>`, which `fire-timers.lua` matches to route it to
///   `{pN}:outbox:<channel>` as the entry's `request` field.
public struct DeferredSend: Sendable, Hashable {
    /// The request, as it goes back on the outbox.
    public var request: SendRequest
    /// When it goes back.
    public var due: Date

    /// Holds `request` until `due`.
    public init(request: SendRequest, due: Date) {
        self.request = request
        self.due = due
    }

    /// The prefix of every deferred send's payload; journey timers' payloads are JSON objects.
    public static let payloadPrefix = "send:"

    /// The timers sorted-set member and payloads-hash field.
    public var member: String { "send|\(request.idempotencyKey)|\(request.attempt)|\(due.unixMilliseconds)" }

    /// The payloads-hash value.
    public var payload: String { Self.payloadPrefix + request.channel.rawValue + "\n" + request.json.serialized() }

    /// Reads a payload back, with the due time from the member's score.
    public init(payload: String, dueMilliseconds: Int64) throws(DeferredSendDecodingError) {
        guard payload.hasPrefix(Self.payloadPrefix), let newline = payload.firstIndex(of: "\n") else { throw .notADeferredSend }
        let channelText = payload[payload.index(payload.startIndex, offsetBy: Self.payloadPrefix.count)..<newline]
        guard let channel = Channel(rawValue: String(channelText)) else { throw .unknownChannel(String(channelText)) }
        let json: JSONValue
        do { json = try JSONValue.parse(String(payload[payload.index(after: newline)...])) } catch { throw .unreadableRequest(String(describing: error)) }
        let request: SendRequest
        do { request = try SendRequest(json: json) } catch { throw .unreadableRequest(error.description) }
        guard request.channel == channel else { throw .channelMismatch(payload: channel, request: request.channel) }
        self.init(request: request, due: Date(unixMilliseconds: dueMilliseconds))
    }

    /// The commands that schedule it on `keyspace`'s partition, as one transaction: the payload and
    /// the member land together or not at all.
    public func commands(_ keyspace: Keyspace, partition: Int) -> [RedisCommand] {
        [
            .multi,
            .hset(keyspace.timerPayloads(partition), fields: [(member, payload)]),
            .zadd(keyspace.timers(partition), score: due.unixMilliseconds, member: member),
            .exec,
        ]
    }
}
