import Foundation
import HeraldCore
import HeraldTestSupport
import Testing

@testable import HeraldDelivery

@Suite struct FailoverProviderTests {
    let message = OutboundMessage(channel: .sms, idempotencyKey: "k1", userId: "u1", recipient: "+15551234567", text: "hi")
    let ok = Result<ProviderReceipt, ProviderError>.success(ProviderReceipt(providerMessageId: "primary-1"))
    let backupOK = Result<ProviderReceipt, ProviderError>.success(ProviderReceipt(providerMessageId: "backup-1"))
    let down = Result<ProviderReceipt, ProviderError>.failure(.retryable(reason: "503"))

    @Test func usesThePrimaryWhenHealthy() async throws {
        let primary = StubProvider(name: "twilio", [ok])
        let backup = StubProvider(name: "vonage", [backupOK])
        let provider = FailoverProvider(primary: primary, secondary: backup)
        let receipt = try await provider.deliver(message)
        #expect(receipt.providerMessageId == "primary-1")
        #expect(receipt.details["provider"] == "twilio")
        #expect(await backup.script.calls == 0)
        #expect(provider.name == "twilio>vonage")
    }

    @Test func failsOverOnARetryableErrorAndOpensThePrimarysBreaker() async throws {
        let clock = ManualClock(Fixtures.date("2026-11-27T09:00:00Z"))
        let primary = StubProvider(name: "twilio", [down])
        let backup = StubProvider(name: "vonage", [backupOK])
        let provider = FailoverProvider(
            primary: primary, secondary: backup, breaker: CircuitBreaker(failureThreshold: 2, window: 60, coolDown: 30),
            clock: { clock.now })
        for _ in 0..<4 {
            let receipt = try await provider.deliver(message)
            #expect(receipt.details["provider"] == "vonage")
        }
        // Two failures opened the breaker: the primary was not called for the last two messages.
        #expect(await primary.script.calls == 2)
        #expect(await backup.script.calls == 4)
        #expect(await provider.health.states()[0] == .open(until: clock.now.addingTimeInterval(30)))
    }

    @Test func probesThePrimaryAgainAfterTheCoolDown() async throws {
        let clock = ManualClock(Fixtures.date("2026-11-27T09:00:00Z"))
        let primary = StubProvider(name: "twilio", [down, ok])
        let backup = StubProvider(name: "vonage", [backupOK])
        let provider = FailoverProvider(
            primary: primary, secondary: backup, breaker: CircuitBreaker(failureThreshold: 1, window: 60, coolDown: 30),
            clock: { clock.now })
        #expect(try await provider.deliver(message).details["provider"] == "vonage")
        clock.advance(by: 10)
        #expect(try await provider.deliver(message).details["provider"] == "vonage")
        clock.advance(by: 20)
        #expect(try await provider.deliver(message).details["provider"] == "twilio")
        #expect(await provider.health.states()[0] == .closed(recentFailures: []))
        #expect(await primary.script.calls == 2)
    }

    @Test func permanentErrorsDoNotFailOver() async {
        let primary = StubProvider(name: "twilio", [.failure(.invalidRecipient(reason: "21211 invalid number"))])
        let backup = StubProvider(name: "vonage", [backupOK])
        let provider = FailoverProvider(primary: primary, secondary: backup, breaker: CircuitBreaker(failureThreshold: 1))
        await #expect(throws: ProviderError.invalidRecipient(reason: "21211 invalid number")) { try await provider.deliver(message) }
        #expect(await backup.script.calls == 0)
        #expect(await provider.health.states()[0] == .closed(recentFailures: []))
    }

    @Test func withEveryBreakerOpenTheErrorCarriesTheWait() async {
        let clock = ManualClock(Fixtures.date("2026-11-27T09:00:00Z"))
        let primary = StubProvider(name: "smtp", [down])
        let provider = FailoverProvider(primary: primary, breaker: CircuitBreaker(failureThreshold: 1, coolDown: 30), clock: { clock.now })
        await #expect(throws: ProviderError.retryable(reason: "503")) { try await provider.deliver(message) }
        clock.advance(by: 5)
        await #expect(throws: ProviderError.retryable(reason: "circuit open for smtp", retryAfterSeconds: 25)) { try await provider.deliver(message) }
        #expect(await primary.script.calls == 1)
    }

    @Test func whenBothFailTheLastErrorIsThrown() async {
        let primary = StubProvider(name: "a", [down])
        let backup = StubProvider(name: "b", [.failure(.retryable(reason: "timeout", retryAfterSeconds: 2))])
        let provider = FailoverProvider(primary: primary, secondary: backup)
        await #expect(throws: ProviderError.retryable(reason: "timeout", retryAfterSeconds: 2)) { try await provider.deliver(message) }
    }
}
