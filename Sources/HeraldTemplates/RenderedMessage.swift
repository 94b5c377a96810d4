/// The text of one message, ready for a channel provider. Parts the template lacks are `nil`.
public struct RenderedMessage: Sendable, Hashable {
    /// The email subject: one line, trimmed.
    public var subject: String?
    /// The plain-text email body (not HTML-escaped).
    public var text: String?
    /// The HTML email body (HTML-escaped interpolations).
    public var html: String?
    /// The push or in-app title: one line, trimmed.
    public var title: String?
    /// The SMS, push, in-app or webhook body, without trailing white space.
    public var body: String?

    /// Creates a rendered message.
    public init(subject: String? = nil, text: String? = nil, html: String? = nil, title: String? = nil, body: String? = nil) {
        self.subject = subject
        self.text = text
        self.html = html
        self.title = title
        self.body = body
    }
}
