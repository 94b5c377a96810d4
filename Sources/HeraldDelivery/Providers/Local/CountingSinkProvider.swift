import Foundation
import Synchronization

/// A provider that accepts everything and counts it, recording end-to-end latency (from the event's
/// arrival in the ingest stream to this call). For benchmarks: it measures Herald, not a provider.
public final class CountingSinkProvider: MessageProvider {
    /// `sink`.
    public let name = "sink"
    private let state = Mutex<(count: Int, latencies: [Double])>((0, []))

    /// Creates an empty sink.
    public init() {}

    /// Counts the message.
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        let latency = message.eventReceivedAt.map { Date().timeIntervalSince($0) * 1000 }
        let count = state.withLock { state -> Int in
            state.count += 1
            if let latency, state.latencies.count < 2_000_000 { state.latencies.append(latency) }
            return state.count
        }
        return ProviderReceipt(providerMessageId: "sink-\(count)")
    }

    /// Messages accepted so far.
    public var count: Int { state.withLock { $0.count } }

    /// The latency in milliseconds at `quantile` (0…1) over every message so far.
    public func latency(quantile: Double) -> Double? {
        let sorted = state.withLock { $0.latencies }.sorted()
        guard !sorted.isEmpty else { return nil }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * quantile).rounded()))]
    }
}
