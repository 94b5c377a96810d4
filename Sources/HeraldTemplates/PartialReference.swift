/// The target of a partial or parent tag: a fixed name, or a dynamic name (`{{>*name}}`) looked up in the context.
enum PartialReference: Sendable, Hashable {
    /// `{{> footer}}`
    case fixed(String)
    /// `{{>*dynamic}}`: the partial's name is the value of `dynamic`.
    case dynamic(TemplateName)

    /// The reference as written, for error messages.
    var text: String {
        switch self {
        case .fixed(let name): return name
        case .dynamic(let name): return "*" + name.text
        }
    }
}
