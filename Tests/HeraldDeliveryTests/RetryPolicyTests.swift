import Foundation
import HeraldCore
import Testing

@testable import HeraldDelivery

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(baseDelay: 2, maxDelay: 60, maxAttempts: 5)
    let now = Fixtures.date("2026-11-27T09:00:00Z")

    private func delay(_ decision: RetryDecision) -> TimeInterval? {
        if case .retry(let at, _) = decision { return at.timeIntervalSince(now) }
        return nil
    }

    @Test func permanentErrorsDeadLetterAtOnce() {
        #expect(policy.decide(error: .permanent(reason: "400 bad payload"), attemptsMade: 1, idempotencyKey: "k", now: now) == .deadLetter(.permanent("400 bad payload")))
        #expect(policy.decide(error: .invalidRecipient(reason: "550 no such user"), attemptsMade: 1, idempotencyKey: "k", now: now)
            == .deadLetter(.invalidRecipient("550 no such user")))
    }

    @Test func backoffStaysWithinTheFullJitterRange() {
        for attempt in 1...4 {
            let ceiling = min(60, 2 * pow(2, Double(attempt - 1)))
            #expect(policy.backoffCeiling(attemptsMade: attempt) == ceiling)
            for key in (0..<200).map({ "journey:instance-\($0):step" }) {
                let decision = policy.decide(error: .retryable(reason: "timeout"), attemptsMade: attempt, idempotencyKey: key, now: now)
                guard case .retry(_, let next) = decision, let wait = delay(decision) else {
                    Issue.record("expected a retry, got \(decision)")
                    return
                }
                #expect(next == attempt)
                #expect(wait >= 0 && wait < ceiling)
            }
        }
        #expect(RetryPolicy(baseDelay: 2, maxDelay: 60, maxAttempts: 20).backoffCeiling(attemptsMade: 12) == 60)
    }

    @Test func jitterIsDeterministicButSpread() {
        #expect(RetryPolicy.jitter(key: "a", attempt: 1) == RetryPolicy.jitter(key: "a", attempt: 1))
        #expect(RetryPolicy.jitter(key: "a", attempt: 1) != RetryPolicy.jitter(key: "a", attempt: 2))
        let samples = (0..<2000).map { RetryPolicy.jitter(key: "key-\($0)", attempt: 3) }
        #expect(samples.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = samples.reduce(0, +) / Double(samples.count)
        #expect(abs(mean - 0.5) < 0.03)
        // Every tenth of the range is used.
        #expect(Set(samples.map { Int($0 * 10) }).count == 10)
    }

    @Test func retryAfterIsALowerBound() {
        let decision = policy.decide(error: .retryable(reason: "429", retryAfterSeconds: 30), attemptsMade: 1, idempotencyKey: "k", now: now)
        #expect(delay(decision) == 30)
        let long = policy.decide(error: .retryable(reason: "429", retryAfterSeconds: 90_000), attemptsMade: 1, idempotencyKey: "k", now: now)
        #expect(long == .deadLetter(.retryAfterTooLong(seconds: 90_000, limit: 86_400)))
    }

    @Test func attemptsRunOut() {
        let error = ProviderError.retryable(reason: "503")
        #expect(delay(policy.decide(error: error, attemptsMade: 4, idempotencyKey: "k", now: now)) != nil)
        #expect(policy.decide(error: error, attemptsMade: 5, idempotencyKey: "k", now: now)
            == .deadLetter(.attemptsExhausted(attempts: 5, lastError: "retryable: 503")))
        // The request form counts the attempt that just failed.
        #expect(policy.decide(error: error, request: Fixtures.request(attempt: 4), now: now)
            == .deadLetter(.attemptsExhausted(attempts: 5, lastError: "retryable: 503")))
        #expect(DeadLetterReason.attemptsExhausted(attempts: 5, lastError: "x").code == "attempts_exhausted")
    }
}
