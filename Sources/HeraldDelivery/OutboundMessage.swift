import Foundation
import HeraldCore

/// A rendered message ready for a provider.
public struct OutboundMessage: Sendable, Hashable {
    /// The channel it goes out on.
    public var channel: Channel
    /// Passed to providers that accept one, so a retried call cannot deliver twice.
    public var idempotencyKey: String
    /// The user it is for.
    public var userId: String
    /// The address: an email address, an E.164 phone number (`whatsapp:` prefixed for WhatsApp),
    /// a device token, a URL, or the user id for in-app.
    public var recipient: String
    /// The subject line (email) or title (push, in-app).
    public var subject: String?
    /// The plain-text body.
    public var text: String?
    /// The HTML body (email).
    public var html: String?
    /// Extra headers (email: List-Unsubscribe …) or metadata.
    public var headers: [String: String]
    /// A structured payload (webhook body, push data).
    public var payload: JSONValue?
    /// Marketing or transactional.
    public var category: MessageCategory
    /// When the triggering event reached Herald's ingest stream, for end-to-end latency figures.
    public var eventReceivedAt: Date?
    /// The HTTP method of a webhook call step (`PUT`, `PATCH` …); `nil` for the channel's default, `POST`.
    public var method: String?

    /// Creates a message.
    public init(
        channel: Channel, idempotencyKey: String, userId: String, recipient: String, subject: String? = nil,
        text: String? = nil, html: String? = nil, headers: [String: String] = [:], payload: JSONValue? = nil,
        category: MessageCategory = .marketing, eventReceivedAt: Date? = nil, method: String? = nil
    ) {
        self.eventReceivedAt = eventReceivedAt
        self.method = method
        self.channel = channel
        self.idempotencyKey = idempotencyKey
        self.userId = userId
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.html = html
        self.headers = headers
        self.payload = payload
        self.category = category
    }
}
