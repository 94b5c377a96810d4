import Foundation
import HeraldCore
import HeraldDelivery
import Synchronization

/// A provider that records every message it is handed and answers from a script: the queued
/// errors first, then acceptance with ids `rec-1`, `rec-2`, ….
final class SenderRecordingProvider: MessageProvider {
    struct State {
        var delivered: [OutboundMessage] = []
        var failures: [ProviderError] = []
    }

    let name = "recording"
    private let state = Mutex(State())

    /// Every message the sender handed over, in order.
    var delivered: [OutboundMessage] { state.withLock { $0.delivered } }

    /// The next call fails with `error`.
    func failNext(with error: ProviderError) {
        state.withLock { $0.failures.append(error) }
    }

    func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        let answer: Result<ProviderReceipt, ProviderError> = state.withLock { state in
            state.delivered.append(message)
            if !state.failures.isEmpty { return .failure(state.failures.removeFirst()) }
            return .success(ProviderReceipt(providerMessageId: "rec-\(state.delivered.count)"))
        }
        return try answer.get()
    }
}
