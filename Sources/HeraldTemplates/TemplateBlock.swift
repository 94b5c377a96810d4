/// A `{{$name}}…{{/name}}` block: a default at its expansion site, or an argument inside a parent tag.
struct TemplateBlock: Sendable {
    /// The block's name (a namespace of its own, separate from the context and partials).
    let name: String
    /// The content. For standalone blocks this was dedented and parsed on its own, so it starts at a line start.
    let nodes: [TemplateNode]
    /// Whether the opening tag was standalone: content is reindented at the site of expansion.
    let isStandalone: Bool
    /// For a standalone block: the indentation its content is given at the site of expansion
    /// (the content's own common indentation, else the white space before the tag).
    let indentation: [UInt8]
}
