import Foundation
import HeraldCore

/// Retries of failed provider calls: capped exponential backoff with full jitter, a maximum
/// number of attempts, and the provider's Retry-After honoured as a lower bound.
///
/// The jitter is derived from a hash of the idempotency key and the attempt, so a decision is a
/// pure function of its inputs (and replicas agree), while different messages still spread out.
public struct RetryPolicy: Sendable, Hashable {
    /// The backoff ceiling of the first retry.
    public var baseDelay: TimeInterval
    /// The largest backoff ceiling.
    public var maxDelay: TimeInterval
    /// Attempts in all, the first included; the last failure dead-letters.
    public var maxAttempts: Int
    /// The longest Retry-After honoured; longer means dead-letter.
    public var maxRetryAfter: TimeInterval

    /// Creates a policy: 2 s doubling to at most 1 h, 8 attempts, Retry-After up to 1 day.
    public init(baseDelay: TimeInterval = 2, maxDelay: TimeInterval = 3600, maxAttempts: Int = 8, maxRetryAfter: TimeInterval = 86_400) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxAttempts = max(1, maxAttempts)
        self.maxRetryAfter = maxRetryAfter
    }

    /// Decides after a failed attempt. `attemptsMade` counts the attempt that just failed (1
    /// after the first failure).
    public func decide(error: ProviderError, attemptsMade: Int, idempotencyKey: String, now: Date) -> RetryDecision {
        switch error {
        case .permanent(let reason): return .deadLetter(.permanent(reason))
        case .invalidRecipient(let reason): return .deadLetter(.invalidRecipient(reason))
        case .retryable(_, let retryAfter):
            guard attemptsMade < maxAttempts else {
                return .deadLetter(.attemptsExhausted(attempts: attemptsMade, lastError: error.description))
            }
            if let retryAfter, retryAfter > maxRetryAfter {
                return .deadLetter(.retryAfterTooLong(seconds: retryAfter, limit: maxRetryAfter))
            }
            var delay = backoffCeiling(attemptsMade: attemptsMade) * RetryPolicy.jitter(key: idempotencyKey, attempt: attemptsMade)
            if let retryAfter { delay = max(delay, retryAfter) }
            return .retry(at: now.addingTimeInterval(delay), attempt: attemptsMade)
        }
    }

    /// Decides for a request whose attempt number `request.attempt` (0-based) just failed.
    public func decide(error: ProviderError, request: SendRequest, now: Date) -> RetryDecision {
        decide(error: error, attemptsMade: request.attempt + 1, idempotencyKey: request.idempotencyKey, now: now)
    }

    /// The full-jitter range's upper end after `attemptsMade` failures: `min(maxDelay, base · 2^(n-1))`.
    public func backoffCeiling(attemptsMade: Int) -> TimeInterval {
        let exponent = Double(max(0, min(attemptsMade - 1, 62)))
        return min(maxDelay, baseDelay * pow(2, exponent))
    }

    /// A fraction in [0, 1) fixed by the key and attempt: FNV-1a, then the SplitMix64 finaliser
    /// so nearby keys do not give nearby fractions.
    public static func jitter(key: String, attempt: Int) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 + [0] + String(attempt).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        hash ^= hash >> 30
        hash = hash &* 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 27
        hash = hash &* 0x94d0_49bb_1331_11eb
        hash ^= hash >> 31
        return Double(hash >> 11) / 9_007_199_254_740_992
    }
}
