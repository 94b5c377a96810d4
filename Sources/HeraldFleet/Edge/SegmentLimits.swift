import HeraldCore

/// Segment's documented size limits for the Tracking API.
public enum SegmentLimits {
    /// One message, serialised: 32 KB (the ingestor's own limit, `Event.maximumPayloadBytes`).
    public static let messageBytes = Event.maximumPayloadBytes
    /// One batch request body, after inflating: 500 KB.
    public static let batchBytes = 500 * 1024
}
