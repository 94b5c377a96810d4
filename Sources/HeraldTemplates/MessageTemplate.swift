import HeraldCore

/// The templates for one message: a directory `config/templates/NAME/` holding `subject`, `text` and
/// `html` parts (email) or a `body` part (SMS, push, in-app, webhook; push and in-app may add `title`),
/// each `PART.mustache` with optional locale variants such as `subject.ja.mustache`.
///
/// HTML parts escape interpolations; subject, text, title and body do not, since they are not HTML.
public struct MessageTemplate: Sendable {
    /// The message name (the directory name).
    public let name: String
    /// The locale the parts were chosen for, as requested.
    public let locale: String?
    /// `subject.mustache`
    public let subject: Template?
    /// `text.mustache`
    public let text: Template?
    /// `html.mustache`
    public let html: Template?
    /// `title.mustache`
    public let title: Template?
    /// `body.mustache`
    public let body: Template?
    /// Where partials and layouts come from, in the same locale.
    public let partials: LocalizedPartials

    /// Creates a message template from parts already chosen.
    public init(
        name: String, locale: String?, subject: Template?, text: Template?, html: Template?, title: Template?,
        body: Template?, partials: LocalizedPartials
    ) {
        self.name = name
        self.locale = locale
        self.subject = subject
        self.text = text
        self.html = html
        self.title = title
        self.body = body
        self.partials = partials
    }

    /// Renders every part present against `context`. `bodyEscaping` is `.none` for text bodies;
    /// use `.json` when the body template produces JSON (a webhook payload).
    public func render(_ context: JSONValue, bodyEscaping: TemplateEscaping = .none) throws(TemplateError)
        -> RenderedMessage
    {
        RenderedMessage(
            subject: try subject.map { template throws(TemplateError) in
                Self.singleLine(try template.render(context, partials: partials, escaping: .none))
            },
            text: try text?.render(context, partials: partials, escaping: .none),
            html: try html?.render(context, partials: partials, escaping: .html),
            title: try title.map { template throws(TemplateError) in
                Self.singleLine(try template.render(context, partials: partials, escaping: .none))
            },
            body: try body.map { template throws(TemplateError) in
                Self.trimmingTrailingSpace(try template.render(context, partials: partials, escaping: bodyEscaping))
            })
    }

    /// The parts `channel` needs that this template lacks (empty when it can be sent on `channel`).
    public func missingParts(for channel: Channel) -> [String] {
        let present: [(String, Template?)] = [("subject", subject), ("text", text), ("html", html), ("title", title), ("body", body)]
        return Self.missingParts(present: Set(present.filter { $0.1 != nil }.map(\.0)), for: channel)
    }

    /// The parts `channel` needs that a message with the `present` parts lacks: the one rule
    /// senders apply at send time and `journeys validate` applies to template directories.
    public static func missingParts(present: Set<String>, for channel: Channel) -> [String] {
        switch channel {
        case .email:
            var missing: [String] = []
            if !present.contains("subject") { missing.append("subject") }
            if !present.contains("text"), !present.contains("html") { missing.append("text or html") }
            return missing
        case .sms, .push, .inapp, .webhook:
            return present.contains("body") ? [] : ["body"]
        }
    }

    /// Subjects and titles are header-like: one line, so a stray newline cannot inject a header.
    static func singleLine(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .map { $0.trimmingSpaces() }
            .filter { !$0.isEmpty }
        return words.joined(separator: " ")
    }

    static func trimmingTrailingSpace(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return String(result)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
