import Foundation
import HeraldCore
import HeraldDelivery

/// A channel's provider-wide rate limit, shared by every replica through one GCRA key
/// (`herald:{rl:<channel>:<provider>}:tat`). The key carries its own hash tag, not a partition's,
/// so it is always used in a script call of its own (`rate-limit-acquire.lua` /
/// `rateLimitPenalize`), never inside a partition's script.
public struct ChannelRateLimit: Sendable, Hashable {
    /// Rate and burst.
    public var limiter: RateLimiter
    /// The shared TAT key.
    public var key: RedisKey

    /// Creates a limit.
    public init(limiter: RateLimiter, key: RedisKey) {
        self.limiter = limiter
        self.key = key
    }

    /// How far a deferred message may come back from the slot the limiter reserved for it and
    /// still use it. One that comes back later (its scheduler was down) asks again, so a backlog of
    /// late reservations never goes out at once.
    public static let reservationGrace: TimeInterval = 1

    /// The send request's context member that carries its reserved slot (ms since 1970) while it
    /// goes through the scheduler.
    public static let slotContextKey = "rateLimitSlot"

    /// Reads `HERALD_<CHANNEL>_RATE` (`50/s`, `3000/m`, `10000/h`; a bare number is per second) and
    /// `HERALD_<CHANNEL>_BURST` (default 1, so no 1 s window holds more than the rate; raise it to
    /// let that many calls go at once after a quiet period); `nil` when no rate is set.
    public static func parse(
        channel: Channel, environment: [String: String], keyspace: Keyspace, provider: String
    ) throws(ChannelRateLimitError) -> ChannelRateLimit? {
        let name = "HERALD_\(channel.rawValue.uppercased())_RATE"
        guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        // A million messages per second is far beyond any provider; larger or infinite values are typos.
        guard let count = Double(parts[0]), count > 0, count <= 1_000_000, parts.count <= 2 else {
            throw .invalidRate(variable: name, value: text)
        }
        let seconds: Double
        switch parts.count == 2 ? String(parts[1]) : "s" {
        case "s", "1s", "sec": seconds = 1
        case "m", "1m", "min": seconds = 60
        case "h", "1h": seconds = 3600
        default: throw .invalidRate(variable: name, value: text)
        }
        let rate = count / seconds
        let burstName = "HERALD_\(channel.rawValue.uppercased())_BURST"
        // The table's default burst is 1: a second's worth on top of the sustained rate would double the first second.
        let burst: Int
        do {
            burst = try ConfigurationReader(environment: environment).integer(burstName)
        } catch {
            throw .invalidBurst(variable: burstName, value: environment[burstName] ?? "")
        }
        return ChannelRateLimit(limiter: RateLimiter(rate: rate, burst: burst), key: keyspace.rateLimit(channel, provider: provider))
    }
}
