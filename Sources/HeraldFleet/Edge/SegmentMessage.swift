import HeraldCore

/// One message of a Tracking API request after enrichment and validation.
public enum SegmentMessage: Sendable, Equatable {
    /// Valid: the enriched payload the ingest stream gets.
    case accepted(payload: [UInt8])
    /// Invalid: the message as it was sent (without any `writeKey`), and why.
    case rejected(payload: [UInt8], rejection: EventRejection)
}
