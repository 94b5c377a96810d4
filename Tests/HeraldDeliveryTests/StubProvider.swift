import Foundation
import HeraldCore

@testable import HeraldDelivery

/// A provider that answers from a script of results and counts its calls.
struct StubProvider: MessageProvider {
    /// The scripted results and the call count, shared by copies.
    actor Script {
        private var results: [Result<ProviderReceipt, ProviderError>]
        private(set) var calls = 0

        init(_ results: [Result<ProviderReceipt, ProviderError>]) {
            self.results = results
        }

        func next() -> Result<ProviderReceipt, ProviderError> {
            calls += 1
            // The last result repeats once the script runs out.
            return results.count > 1 ? results.removeFirst() : results[0]
        }
    }

    let name: String
    let script: Script

    init(name: String, _ results: [Result<ProviderReceipt, ProviderError>]) {
        self.name = name
        self.script = Script(results)
    }

    func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        try await script.next().get()
    }
}
