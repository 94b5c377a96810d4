import Foundation
import Testing

@testable import HeraldDelivery

@Suite struct RateLimiterTests {
    let t0 = Fixtures.date("2026-11-27T09:00:00Z")

    @Test func burstThenSustainedRate() {
        let limiter = RateLimiter(rate: 10, burst: 3)
        #expect(limiter.emissionIntervalMicros == 100_000)
        var tat: Date?
        var allowed = 0
        for _ in 0..<3 {
            if case .allowed(let next) = limiter.decide(tat: tat, now: t0) {
                tat = next
                allowed += 1
            }
        }
        #expect(allowed == 3)
        // The fourth call at t0 fits one interval later, the fifth two; each reserves its slot.
        #expect(limiter.decide(tat: tat, now: t0) == .reserved(slot: Fixtures.ms(t0, 100)))
        tat = limiter.advanced(tat: tat, now: t0)
        #expect(limiter.decide(tat: tat, now: t0.addingTimeInterval(0.03)) == .reserved(slot: Fixtures.ms(t0, 200)))
        tat = limiter.advanced(tat: tat, now: t0.addingTimeInterval(0.03))
        guard case .allowed = limiter.decide(tat: tat, now: t0.addingTimeInterval(0.3)) else {
            Issue.record("a slot frees one interval after the last reserved one")
            return
        }
    }

    @Test func withBurstOneNoSecondHoldsMoreThanTheRate() {
        let limiter = RateLimiter(rate: 20, burst: 1)
        var tat: Date?
        var grants: [Date] = []
        // 60 calls at once: the first goes now, every other gets its own slot 50 ms after the last.
        for _ in 0..<60 {
            switch limiter.decide(tat: tat, now: t0) {
            case .allowed: grants.append(t0)
            case .reserved(let slot): grants.append(slot)
            }
            tat = limiter.advanced(tat: tat, now: t0)
        }
        #expect(grants.first == t0 && grants.last == Fixtures.ms(t0, 59 * 50))
        for index in 0..<(grants.count - 20) {
            #expect(grants[index + 20].timeIntervalSince(grants[index]) >= 0.999, "21 grants span 1 s")
        }
    }

    @Test func aQuietPeriodRestoresTheBurstButNoMore() {
        let limiter = RateLimiter(rate: 2, burst: 2)
        let stale = t0.addingTimeInterval(-3600)
        guard case .allowed(let first) = limiter.decide(tat: stale, now: t0),
            case .allowed(let second) = limiter.decide(tat: first, now: t0)
        else {
            Issue.record("the burst is available after a quiet hour")
            return
        }
        #expect(limiter.decide(tat: second, now: t0) == .reserved(slot: Fixtures.ms(t0, 500)))
    }

    @Test func retryAfterBlocksThenResumesAtTheSustainedRate() {
        let limiter = RateLimiter(rate: 10, burst: 5)
        let tat = limiter.penalize(tat: nil, retryAfter: 3, now: t0)
        #expect(limiter.decide(tat: tat, now: t0.addingTimeInterval(2.9)) == .reserved(slot: Fixtures.ms(t0, 3000)))
        guard case .allowed(let next) = limiter.decide(tat: tat, now: t0.addingTimeInterval(3)) else {
            Issue.record("allowed once Retry-After has passed")
            return
        }
        #expect(limiter.decide(tat: next, now: t0.addingTimeInterval(3)) == .reserved(slot: Fixtures.ms(t0, 3100)))
        // Never pulled back by a shorter Retry-After.
        #expect(limiter.penalize(tat: tat, retryAfter: 1, now: t0) == tat)
    }

    @Test func scriptArguments() {
        let limiter = RateLimiter(rate: 3, burst: 0)
        #expect(limiter.burst == 1)
        #expect(limiter.acquireArguments(now: nil) == ["0", "333333", "1"])
        #expect(limiter.penalizeArguments(retryAfter: 1.5, now: t0) == [String(Int64(t0.timeIntervalSince1970 * 1000)), "1500", "333333", "1"])
        #expect(RateLimitDecision(reply: [0, 1_700_000_000_250]) == .reserved(slot: Date(timeIntervalSince1970: 1_700_000_000.25)))
        #expect(RateLimitDecision(reply: [2, 0]) == nil)
    }
}
