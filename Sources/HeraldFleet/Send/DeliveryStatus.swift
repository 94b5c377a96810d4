/// The status a delivery record carries in `herald:deliveries`.
public enum DeliveryStatus: String, Sendable, Hashable, CaseIterable {
    /// The provider accepted the message.
    case sent
    /// Not sent, on purpose: consent, suppression, a frequency cap, no address.
    case suppressed
    /// Held back until a later time (quiet hours, a cap slot) through the scheduler.
    case deferred
    /// Failed in a way that may pass; another attempt is scheduled with backoff.
    case retrying
    /// Failed for good (permanent error, template error, attempts exhausted); also dead-lettered.
    case failed
    /// The address is invalid or gone; it is now suppressed.
    case bounced
    /// A redelivered request whose message had already been sent: nothing was sent again.
    case duplicate
    /// Its sender stopped after claiming it and before recording the provider's answer, and the
    /// category is sent at most once: parked, not sent again until an operator replays it.
    case unknown
    /// Reported by the provider after sending (feedback events).
    case delivered
    /// Reported by the provider: the user opened it.
    case opened
    /// Reported by the provider: the user clicked a link.
    case clicked
}
