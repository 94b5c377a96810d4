import Foundation
import HeraldCore
import HeraldDelivery

/// A provider whose every call is counted in `herald_provider_calls_total` (by provider, channel,
/// outcome and reply class) and timed in `herald_provider_call_seconds`. It wraps each real
/// provider, inside any failover, so the primary's and the secondary's calls are told apart.
struct ObservedProvider: MessageProvider {
    /// The provider that does the work.
    let base: any MessageProvider
    /// The channel, for the labels.
    let channel: Channel
    /// Where the counts go.
    let metrics: Metrics

    var name: String { base.name }
    var callTimeout: TimeInterval { base.callTimeout }

    func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        let started = ContinuousClock.now
        let kind = ProviderCallOutcome.Transport.of(providerNamed: base.name)
        do {
            let receipt = try await base.deliver(message)
            record(ProviderCallOutcome.of(nil, transport: kind), since: started)
            return receipt
        } catch {
            record(ProviderCallOutcome.of(error, transport: kind), since: started)
            throw error
        }
    }

    private func record(_ outcome: ProviderCallOutcome, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let labels = ["provider": base.name, "channel": channel.rawValue]
        metrics.increment(.providerCalls, labels.merging(["outcome": outcome.outcome, "code_class": outcome.codeClass]) { $1 })
        metrics.observe(.providerCallSeconds, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, labels)
    }
}
