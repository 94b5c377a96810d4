/// How `{{name}}` interpolations are escaped; `{{{name}}}` and `{{& name}}` are never escaped.
public enum TemplateEscaping: Sendable, Hashable {
    /// HTML: `&`, `<`, `>`, `"` and `'` become entities. The default, and what HTML email parts use.
    case html
    /// No escaping: plain-text email parts, subjects, SMS and push text.
    case none
    /// The contents of a JSON string literal (quotes, backslashes and control characters escaped),
    /// for templates that produce JSON such as webhook bodies.
    case json
}
