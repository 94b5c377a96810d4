import Foundation

/// A GCRA (generic cell rate algorithm) limiter for one provider, shared by every replica through
/// one Redis key that holds the theoretical arrival time (TAT).
///
/// Each call pushes the TAT one emission interval (1/rate) forward; a call goes now while the TAT
/// stays within `burst` intervals of now, and is otherwise given the later slot at which it fits.
/// With `burst` 1 no window of 1/rate holds two calls, so no 1 s window holds more than the rate.
/// Arithmetic is in integer microseconds so the pure `decide` and
/// `rate-limit-acquire.lua` agree to the microsecond.
public struct RateLimiter: Sendable, Hashable {
    /// Sustained calls per second.
    public var rate: Double
    /// How many calls may go at once after a quiet period (at least 1; 1 keeps every 1 s window at
    /// the rate).
    public var burst: Int

    /// Creates a limiter.
    public init(rate: Double, burst: Int = 1) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// The emission interval in microseconds (at least 1).
    public var emissionIntervalMicros: Int64 { max(1, Int64((1_000_000 / rate).rounded())) }

    /// Decides one call. `tat` is the stored TAT (`nil` when the key is absent or expired).
    ///
    /// Every call advances the TAT by one emission interval. One that fits within the burst goes
    /// now; any other is given the slot at which it fits, `newTAT − interval × burst` (rounded up
    /// to the millisecond), so a denied call is scheduled once, for exactly when it may go.
    public func decide(tat: Date?, now: Date) -> RateLimitDecision {
        let nowMicros = RateLimiter.micros(now)
        let interval = emissionIntervalMicros
        let current = max(tat.map(RateLimiter.micros) ?? 0, nowMicros)
        let newTAT = current + interval
        let limit = interval * Int64(burst)
        if newTAT - nowMicros > limit {
            let slotMillis = (newTAT - limit + 999) / 1000
            return .reserved(slot: Date(unixMilliseconds: slotMillis))
        }
        return .allowed(newTAT: Date(timeIntervalSince1970: Double(newTAT) / 1_000_000))
    }

    /// The TAT after one more call, allowed or reserved (what `decide` stores).
    public func advanced(tat: Date?, now: Date) -> Date {
        let current = max(tat.map(RateLimiter.micros) ?? 0, RateLimiter.micros(now))
        return Date(timeIntervalSince1970: Double(current + emissionIntervalMicros) / 1_000_000)
    }

    /// The TAT after the provider answered with Retry-After: nothing is allowed before
    /// `now + retryAfter`, and from then on calls resume at the sustained rate, not in a burst.
    public func penalize(tat: Date?, retryAfter: TimeInterval, now: Date) -> Date {
        let nowMicros = RateLimiter.micros(now)
        let pushed = nowMicros + retryAfter.wholeMilliseconds * 1000 + emissionIntervalMicros * Int64(burst - 1)
        let current = tat.map(RateLimiter.micros) ?? 0
        return Date(timeIntervalSince1970: Double(max(current, pushed)) / 1_000_000)
    }

    /// ARGV for `rate-limit-acquire.lua`: `now_ms` (`nil` → `0`, the Redis server's
    /// clock), `interval_us`, `burst`.
    public func acquireArguments(now: Date?) -> [String] {
        [now.map { String($0.unixMilliseconds) } ?? "0", String(emissionIntervalMicros), String(burst)]
    }

    /// ARGV for `rate-limit-penalize.lua`: `now_ms` (`nil` → server clock),
    /// `retry_after_ms`, `interval_us`, `burst`.
    public func penalizeArguments(retryAfter: TimeInterval, now: Date?) -> [String] {
        [
            now.map { String($0.unixMilliseconds) } ?? "0", String(retryAfter.wholeMilliseconds),
            String(emissionIntervalMicros), String(burst),
        ]
    }

    // The Lua side builds microseconds from milliseconds, so the pure side does too.
    static func micros(_ date: Date) -> Int64 { date.unixMilliseconds * 1000 }
}
