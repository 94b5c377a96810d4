import Foundation

/// Rewrites an HTML email body for open and click tracking, purely: every `<a href="http(s)://…">`
/// becomes the edge's signed click URL (`<base>/c/<token>`) and an open pixel
/// (`<base>/o/<token>.gif`) is added before `</body>`. Left as they are: `mailto:`, `tel:`,
/// `sms:` and other non-HTTP links, `#anchors`, relative links, unquoted `href`s, links that
/// start with one of `untrackedPrefixes` (the unsubscribe page), and links marked
/// `data-herald-track="off"`.
public struct TrackedLinkRewriter: Sendable {
    /// The edge's public base URL (`https://edge.example.com`).
    public var baseURL: String
    /// Signs the tokens.
    public var signer: TrackedLinkSigner
    /// Links starting with any of these are never rewritten (the unsubscribe link).
    public var untrackedPrefixes: [String]

    /// Creates a rewriter.
    public init(baseURL: String, signer: TrackedLinkSigner, untrackedPrefixes: [String] = []) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.signer = signer
        self.untrackedPrefixes = untrackedPrefixes.filter { !$0.isEmpty }
    }

    /// The click URL for `link` (a `.click` link with its `url`).
    public func clickURL(_ link: TrackedLink) -> String { baseURL + "/c/" + signer.token(for: link) }

    /// The pixel URL for `link` (an `.open` link).
    public func pixelURL(_ link: TrackedLink) -> String { baseURL + "/o/" + signer.token(for: link) + ".gif" }

    /// `html` with its links rewritten (`clicks`) and the pixel added (`opens`), for the delivery
    /// `userId`/`messageKey` of `journey`'s `template`.
    public func rewrite(html: String, userId: String, messageKey: String, journey: String, template: String, clicks: Bool, opens: Bool) -> String {
        var out = html
        if clicks {
            // The whole opening tag, so a `data-herald-track="off"` after the href counts too.
            let anchor = /(?i)(<a\s[^>]*?\bhref\s*=\s*)(["'])(.*?)\2([^>]*>)/
            out = out.replacing(anchor) { match in
                let (whole, prefix, quote, value, rest) = match.output
                let target = Self.decodeEntities(String(value))
                guard !whole.lowercased().contains("data-herald-track=\"off\""), isTrackable(target) else { return String(whole) }
                let link = TrackedLink(kind: .click, url: target, userId: userId, messageKey: messageKey, journey: journey, template: template)
                return String(prefix) + String(quote) + clickURL(link) + String(quote) + String(rest)
            }
        }
        if opens {
            let link = TrackedLink(kind: .open, userId: userId, messageKey: messageKey, journey: journey, template: template)
            let pixel = #"<img src="\#(pixelURL(link))" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">"#
            if let body = out.ranges(of: /(?i)<\/body\s*>/).last {
                out.insert(contentsOf: pixel, at: body.lowerBound)
            } else {
                out += pixel
            }
        }
        return out
    }

    /// Whether `url` (entity-decoded) is a link the rewriter tracks: absolute `http`/`https`, not
    /// templated, not under an untracked prefix.
    public func isTrackable(_ url: String) -> Bool {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return false }
        guard !url.contains("{{"), !url.contains(" ") else { return false }
        return !untrackedPrefixes.contains { url.hasPrefix($0) }
    }

    /// `text` with the entities an `href` value may use for `&`, quotes and `<>` decoded.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = text
        for (entity, plain) in [("&quot;", "\""), ("&#34;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&lt;", "<"), ("&gt;", ">"),
                                ("&#38;", "&"), ("&amp;", "&")] {
            out = out.replacingOccurrences(of: entity, with: plain)
        }
        return out
    }
}
