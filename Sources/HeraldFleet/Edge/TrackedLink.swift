/// What a tracked link or open pixel names: the delivery it belongs to and, for a click, where it
/// goes. The signed token (`TrackedLinkSigner`) carries all of it, so the edge keeps no state.
public struct TrackedLink: Sendable, Hashable {
    /// A click redirect or an open pixel.
    public enum Kind: String, Sendable, Hashable {
        /// `GET /c/<token>`: redirects to `url`, reports `Message Clicked`.
        case click = "c"
        /// `GET /o/<token>.gif`: a 1×1 GIF, reports `Message Opened`.
        case open = "o"
    }

    /// Click or open.
    public var kind: Kind
    /// The original link (clicks only).
    public var url: String?
    /// The user the message went to.
    public var userId: String
    /// The delivery's idempotency key.
    public var messageKey: String
    /// The journey that sent it.
    public var journey: String
    /// The template it was rendered from.
    public var template: String

    /// Creates a link description.
    public init(kind: Kind, url: String? = nil, userId: String, messageKey: String, journey: String, template: String) {
        self.kind = kind
        self.url = url
        self.userId = userId
        self.messageKey = messageKey
        self.journey = journey
        self.template = template
    }
}
