import Foundation
import Testing

@testable import HeraldDelivery

@Suite struct CircuitBreakerTests {
    let t0 = Fixtures.date("2026-11-27T09:00:00Z")

    private func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    // `#expect` cannot call a mutating method on its argument, so the call happens out here.
    private func acquire(_ breaker: inout CircuitBreaker, _ now: Date) -> Bool {
        breaker.acquire(now: now)
    }

    @Test func opensAfterTheThresholdWithinTheWindow() {
        var breaker = CircuitBreaker(failureThreshold: 3, window: 10, coolDown: 30)
        breaker.recordFailure(now: at(0))
        breaker.recordFailure(now: at(1))
        #expect(acquire(&breaker, at(2)))
        breaker.recordFailure(now: at(2))
        #expect(breaker.state == .open(until: at(32)))
        #expect(!acquire(&breaker, at(3)))
        #expect(breaker.retryAfter(now: at(12)) == 20)
    }

    @Test func failuresOutsideTheWindowDoNotCount() {
        var breaker = CircuitBreaker(failureThreshold: 3, window: 10, coolDown: 30)
        for second in [0.0, 6, 12, 18, 24] { breaker.recordFailure(now: at(second)) }
        #expect(breaker.state == .closed(recentFailures: [at(18), at(24)]))
        #expect(acquire(&breaker, at(25)))
    }

    @Test func halfOpenLetsOneProbeAndItsSuccessCloses() {
        var breaker = CircuitBreaker(failureThreshold: 1, window: 10, coolDown: 30)
        breaker.recordFailure(now: at(0))
        #expect(!acquire(&breaker, at(29.9)))
        #expect(acquire(&breaker, at(30)))
        #expect(breaker.state == .halfOpen(probeStartedAt: at(30)))
        #expect(!acquire(&breaker, at(31)))
        breaker.recordSuccess(now: at(32))
        #expect(breaker.state == .closed(recentFailures: []))
        #expect(acquire(&breaker, at(33)))
    }

    @Test func aFailedProbeReopens() {
        var breaker = CircuitBreaker(failureThreshold: 1, window: 10, coolDown: 30)
        breaker.recordFailure(now: at(0))
        #expect(acquire(&breaker, at(30)))
        breaker.recordFailure(now: at(31))
        #expect(breaker.state == .open(until: at(61)))
        #expect(!acquire(&breaker, at(60)))
    }

    @Test func aLostProbeIsReplacedAfterACoolDown() {
        var breaker = CircuitBreaker(failureThreshold: 1, window: 10, coolDown: 30)
        breaker.recordFailure(now: at(0))
        #expect(acquire(&breaker, at(30)))
        #expect(breaker.retryAfter(now: at(40)) == 20)
        #expect(!acquire(&breaker, at(59)))
        #expect(acquire(&breaker, at(60)))
    }

    @Test func lateResultsWhileOpenAreIgnored() {
        var breaker = CircuitBreaker(failureThreshold: 1, window: 10, coolDown: 30)
        breaker.recordFailure(now: at(0))
        breaker.recordSuccess(now: at(1))
        breaker.recordFailure(now: at(2))
        #expect(breaker.state == .open(until: at(30)))
    }
}
