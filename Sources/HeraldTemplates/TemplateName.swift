/// A dotted name in a tag, such as `profile.company` or the implicit iterator `.`, split once at parse time.
struct TemplateName: Sendable, Hashable {
    /// The name as written in the tag.
    let text: String
    /// The dot-separated parts; empty for the implicit iterator `.`.
    let components: [String]

    init(_ text: String) {
        self.text = text
        components = text == "." ? [] : text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}
