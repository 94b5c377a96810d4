import Foundation
import Synchronization

/// The per-write-key limits of one edge process (in memory: with `n` edges behind a load
/// balancer a key gets up to `n` times the rate).
public final class SegmentRateLimiter: Sendable {
    private let rate: Double
    private let capacity: Double
    private let clock: @Sendable () -> Double
    private let buckets = Mutex<[Int: SegmentTokenBucket]>([:])

    /// A limiter of `rate` events a second and `capacity` at once per key; `clock` gives seconds
    /// (monotonic by default; tests inject their own).
    public init(rate: Double, capacity: Double, clock: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
    }

    /// Takes `cost` events from key number `key`'s bucket.
    public func take(_ cost: Int, key: Int) -> SegmentTokenBucket.Decision {
        let now = clock()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? SegmentTokenBucket(rate: rate, capacity: capacity, now: now)
            let decision = bucket.take(cost, now: now)
            buckets[key] = bucket
            return decision
        }
    }
}
