import Foundation

/// A provider that sends through a primary and fails over to a secondary, each behind its own
/// circuit breaker.
///
/// A retryable failure (timeout, 5xx, 429) counts against the provider's breaker and the same
/// message is offered to the next provider at once; an open breaker skips its provider. A permanent
/// or invalid-recipient error is the message's fault: it is thrown as is, without failing over,
/// and counts as the provider being up. When every breaker is open the error is retryable with
/// the time until the first one half-opens. The receipt's `details["provider"]` names the provider
/// that sent. Note that a timeout is ambiguous (the primary may have sent): the idempotency key is
/// passed on to the secondary, which dedupes only if both are the same service.
public struct FailoverProvider: MessageProvider {
    /// The provider tried first.
    public let primary: any MessageProvider
    /// The provider tried when the primary fails or its breaker is open, if configured.
    public let secondary: (any MessageProvider)?
    /// The breakers, shared by every copy of this value.
    public let health: ProviderHealth
    private let clock: @Sendable () -> Date

    /// Creates a failover pair; every breaker starts like `breaker`. `clock` is for tests.
    public init(
        primary: any MessageProvider, secondary: (any MessageProvider)? = nil, breaker: CircuitBreaker = CircuitBreaker(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.primary = primary
        self.secondary = secondary
        self.health = ProviderHealth(count: secondary == nil ? 1 : 2, template: breaker)
        self.clock = clock
    }

    /// `primary>secondary`, or the primary's name alone.
    /// One call may try the primary and then the secondary.
    public var callTimeout: TimeInterval { primary.callTimeout + (secondary?.callTimeout ?? 0) }

    public var name: String {
        secondary.map { "\(primary.name)>\($0.name)" } ?? primary.name
    }

    /// Delivers through the first provider whose breaker allows it and which does not fail retryably.
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        let providers: [any MessageProvider] = secondary.map { [primary, $0] } ?? [primary]
        var lastError: ProviderError?
        for (index, provider) in providers.enumerated() {
            guard await health.acquire(index, now: clock()) else { continue }
            do {
                var receipt = try await provider.deliver(message)
                await health.recordSuccess(index, now: clock())
                receipt.details["provider"] = provider.name
                return receipt
            } catch {
                guard error.isRetryable else {
                    await health.recordSuccess(index, now: clock())
                    throw error
                }
                await health.recordFailure(index, now: clock())
                lastError = error
            }
        }
        if let lastError { throw lastError }
        throw .retryable(reason: "circuit open for \(name)", retryAfterSeconds: await health.retryAfter(now: clock()))
    }
}
