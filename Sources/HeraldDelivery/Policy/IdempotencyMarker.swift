import Foundation

/// The value an idempotency key (`herald:{pN}:sent:<idempotencyKey>`) holds: the one wire format
/// for it, written by the sender and by `idempotency-claim.lua`, and read by the three
/// `idempotency-*.lua` scripts, which parse the same three forms. Numbers are ASCII digits
/// (Lua's `%d+`), milliseconds since 1970.
///
/// - `claimed:<claimed_at_ms>:<attempt>:<consumer>` while a sender works on the key; `attempt` is
///   the request's 0-based attempt and `consumer` the claiming worker loop (it may hold colons).
/// - `sent:<providerMessageId>` once the provider accepted the message.
/// - `unknown:<parked_at_ms>:<consumer>` when a claim's holder stopped without recording an
///   outcome and the request's category is sent at most once: nobody sends it again until an
///   operator replays it.
public enum IdempotencyMarker: Sendable, Hashable {
    /// A sender is working on the key.
    case claimed(at: Date, attempt: Int, consumer: String)
    /// The provider accepted the message.
    case sent(providerMessageId: String)
    /// Parked: the earlier holder may or may not have reached the provider.
    case unknown(at: Date, previousConsumer: String)

    /// The stored text.
    public var encoded: String {
        switch self {
        case .claimed(let at, let attempt, let consumer): return "claimed:\(Self.milliseconds(at)):\(attempt):\(consumer)"
        case .sent(let providerMessageId): return "sent:\(providerMessageId)"
        case .unknown(let at, let previousConsumer): return "unknown:\(Self.milliseconds(at)):\(previousConsumer)"
        }
    }

    /// Reads a stored value; `nil` when it is in none of the three forms.
    public init?(_ text: String) {
        if text.hasPrefix("sent:") {
            self = .sent(providerMessageId: String(text.dropFirst(5)))
            return
        }
        if text.hasPrefix("claimed:") {
            let parts = text.dropFirst(8).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, Self.isDigits(parts[0]), Self.isDigits(parts[1]), let at = Int64(parts[0]), let attempt = Int(parts[1]) else { return nil }
            self = .claimed(at: Self.date(at), attempt: attempt, consumer: String(parts[2]))
            return
        }
        if text.hasPrefix("unknown:") {
            let parts = text.dropFirst(8).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, Self.isDigits(parts[0]), let at = Int64(parts[0]) else { return nil }
            self = .unknown(at: Self.date(at), previousConsumer: String(parts[1]))
            return
        }
        return nil
    }

    /// Whole milliseconds since 1970, rounded down: the one conversion claims and scripts share.
    public static func milliseconds(_ date: Date) -> Int64 {
        date.unixMilliseconds
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(unixMilliseconds: milliseconds)
    }



    // The scripts match numbers with Lua's `%d+`: ASCII digits only, so `+5` or `-5` (which
    // `Int.init` takes) is unreadable here as it is there.
    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
