import Foundation
import HeraldDelivery

/// A provider under another name, so that a secondary of the same kind as the primary
/// (`webhook>webhook-secondary`) is told apart in delivery records, logs and breakers.
struct RenamedProvider: MessageProvider {
    /// The provider that does the work.
    let base: any MessageProvider
    /// The name it goes by.
    let name: String

    var callTimeout: TimeInterval { base.callTimeout }

    func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        try await base.deliver(message)
    }
}
