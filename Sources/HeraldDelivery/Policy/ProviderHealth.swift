import Foundation

/// The circuit breakers of a `FailoverProvider`'s providers, shared by every task in the process.
public actor ProviderHealth {
    private var breakers: [CircuitBreaker]

    /// Creates one breaker per provider, all configured like `template`.
    public init(count: Int, template: CircuitBreaker) {
        breakers = Array(repeating: template, count: count)
    }

    /// Asks provider `index`'s breaker to let a call through now.
    public func acquire(_ index: Int, now: Date) -> Bool {
        breakers[index].acquire(now: now)
    }

    /// Records that provider `index` handled a call.
    public func recordSuccess(_ index: Int, now: Date) {
        breakers[index].recordSuccess(now: now)
    }

    /// Records that provider `index` failed a call.
    public func recordFailure(_ index: Int, now: Date) {
        breakers[index].recordFailure(now: now)
    }

    /// The shortest wait until some provider may be tried again.
    public func retryAfter(now: Date) -> TimeInterval? {
        breakers.compactMap { $0.retryAfter(now: now) }.min()
    }

    /// Every breaker's state, in provider order (for metrics and tests).
    public func states() -> [CircuitState] {
        breakers.map(\.state)
    }
}
