/// A fixed set of named templates that serves as a partial resolver; parse it once and reuse it.
public struct TemplateSet: PartialResolver {
    /// The templates by name.
    public let templates: [String: Template]

    /// Wraps already parsed templates.
    public init(templates: [String: Template]) {
        self.templates = templates
    }

    /// Parses every source; each template is named by its key.
    public init(sources: [String: String]) throws(TemplateError) {
        var templates: [String: Template] = [:]
        for (name, source) in sources { templates[name] = try Template(source: source, name: name) }
        self.templates = templates
    }

    /// The template called `name`, if the set has one.
    public func template(named name: String) throws(TemplateError) -> Template? {
        templates[name]
    }
}
