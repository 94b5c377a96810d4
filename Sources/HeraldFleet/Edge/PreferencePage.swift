import HeraldCore

/// The HTML of the unsubscribe link's pages, rendered purely from what they show: the page where
/// a person confirms the unsubscribe or chooses per channel and category, the confirmations and
/// the refusals. Plain forms, no JavaScript, everything escaped.
public struct PreferencePage: Sendable {
    /// The language.
    public var locale: PreferenceLocale
    /// Where the forms post: the link itself, token included (relative, as received).
    public var action: String

    /// Creates a page renderer.
    public init(locale: PreferenceLocale, action: String) {
        self.locale = locale
        self.action = action
    }

    /// The page a `GET` on the link shows: the one-button unsubscribe for what the link is about,
    /// then every box, checked for what the person still receives (`nil`: the record could not
    /// be read, so the boxes show the default and say so).
    public func choices(channel: Channel, category: MessageCategory?, kept: Set<PreferenceChoice>?) -> String {
        var rows = ""
        for channel in PreferenceLocale.channels {
            rows += "<fieldset><legend>\(escape(locale.name(of: channel)))</legend>"
            for category in MessageCategory.allCases {
                let choice = PreferenceChoice(channel: channel, category: category)
                let checked = (kept ?? Set(PreferenceChoice.all)).contains(choice) ? " checked" : ""
                rows += """
                    <label><input type="checkbox" name="keep" value="\(escape(choice.formValue))"\(checked)> \(escape(locale.name(of: category)))</label>
                    """
            }
            rows += "</fieldset>"
        }
        let unknown = kept == nil ? "<p class=\"note\">\(escape(locale.currentUnknown))</p>" : ""
        return document(title: locale.title, body: """
            <h1>\(escape(locale.title))</h1>
            <p>\(escape(locale.intro(channel: channel, category: category)))</p>
            <form method="post" action="\(escape(action))">
            <input type="hidden" name="action" value="unsubscribe">
            <button type="submit" name="submit" value="unsubscribe">\(escape(locale.unsubscribeButton))</button>
            </form>
            <h2>\(escape(locale.orChoose))</h2>
            \(unknown)
            <form method="post" action="\(escape(action))">
            <input type="hidden" name="action" value="save">
            \(rows)
            <button type="submit" name="submit" value="save">\(escape(locale.saveButton))</button>
            </form>
            """)
    }

    /// The confirmation after the one-button unsubscribe.
    public func unsubscribed(channel: Channel, category: MessageCategory?) -> String {
        document(title: locale.unsubscribedTitle, body: """
            <h1>\(escape(locale.unsubscribedTitle))</h1>
            <p>\(escape(locale.unsubscribedText(channel: channel, category: category)))</p>
            <p><a href="\(escape(action))">\(escape(locale.changeAgain))</a></p>
            """)
    }

    /// The confirmation after saving the boxes.
    public func saved(kept: Set<PreferenceChoice>) -> String {
        let items = PreferenceChoice.all.filter(kept.contains).map {
            "<li>\(escape(locale.name(of: $0.channel))): \(escape(locale.name(of: $0.category)))</li>"
        }
        let list = items.isEmpty ? "<p>\(escape(locale.receivingNothing))</p>" : "<p>\(escape(locale.receiving))</p><ul>\(items.joined())</ul>"
        return document(title: locale.savedTitle, body: """
            <h1>\(escape(locale.savedTitle))</h1>
            \(list)
            <p><a href="\(escape(action))">\(escape(locale.changeAgain))</a></p>
            """)
    }

    /// A refusal page: the link is not valid, has expired, or the choice could not be recorded.
    public func refusal(title: String, text: String) -> String {
        document(title: title, body: "<h1>\(escape(title))</h1>\n<p>\(escape(text))</p>")
    }

    private func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="\(locale.rawValue)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(escape(title))</title>
        <style>
        body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK JP",sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1d2330;line-height:1.5}
        h1{font-size:1.5rem}h2{font-size:1.05rem;margin-top:2rem}
        fieldset{border:1px solid #d5d9e0;border-radius:.5rem;margin:.75rem 0;padding:.5rem 1rem}
        legend{font-weight:600;padding:0 .25rem}label{display:block;padding:.2rem 0}
        button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#2b59c3;color:#fff;cursor:pointer}
        .note{color:#8a4b00}
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>
        """
    }

    /// `text` safe inside HTML text and double-quoted attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private func escape(_ text: String) -> String { Self.escape(text) }
}
