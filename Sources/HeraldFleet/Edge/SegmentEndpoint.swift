/// The Segment HTTP Tracking API's endpoints: one per message type, and the batch endpoints.
public enum SegmentEndpoint: String, Sendable, Hashable, CaseIterable {
    /// `POST /v1/track`.
    case track
    /// `POST /v1/identify`.
    case identify
    /// `POST /v1/page`.
    case page
    /// `POST /v1/screen`.
    case screen
    /// `POST /v1/group`.
    case group
    /// `POST /v1/alias`.
    case alias
    /// `POST /v1/batch`: `{"batch": [message, …]}`, each message with its own `type`.
    case batch
    /// `POST /v1/import`: the same as `batch` (Segment's older name for it).
    case `import`

    /// The request path (`/v1/track`).
    public var path: String { "/v1/" + rawValue }

    /// The route's name in metrics, logs and `herald:rejected` (`segment.track`).
    public var routeName: String { "segment." + rawValue }

    /// Whether the body holds a `batch` array rather than one message.
    public var isBatch: Bool { self == .batch || self == .import }

    /// The largest body (after inflating) Segment accepts here: 500 KB for a batch, 32 KB for one message.
    public var bodyLimit: Int { isBatch ? SegmentLimits.batchBytes : SegmentLimits.messageBytes }
}
