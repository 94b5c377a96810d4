import Foundation
import HeraldCore

/// Something that hands a rendered message to the outside world: an SMTP server, an outbox
/// directory, an SMS API, a push service, a webhook endpoint, an in-app inbox.
///
/// A provider makes exactly one attempt; retries, caps and idempotency are the pipeline's job.
public protocol MessageProvider: Sendable {
    /// A short stable name for logs, metrics and rate limits (e.g. `smtp`, `outbox`, `twilio`).
    var name: String { get }

    /// The longest one `deliver` call can take before it gives up; an idempotency claim must
    /// outlast it (see `IdempotencyPolicy.defaultLease(providerTimeout:)`).
    var callTimeout: TimeInterval { get }

    /// Makes one delivery attempt.
    func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt
}

extension MessageProvider {
    /// Local providers (outbox, sink, inbox) answer in milliseconds; a few seconds is generous.
    public var callTimeout: TimeInterval { 5 }
}
