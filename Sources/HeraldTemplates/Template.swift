import HeraldCore

/// A Mustache template, parsed once and rendered many times against `JSONValue` contexts.
///
/// Supports the whole Mustache spec apart from lambdas: interpolation, sections, inverted sections,
/// comments, set delimiters, partials with standalone indentation, inheritance (`{{<parent}}` and
/// `{{$block}}`) and dynamic names (`{{>*name}}`).
///
/// Truthiness follows the spec (`false`, `null`, missing names and empty lists are falsey) and, as
/// most engines do, also treats the empty string as falsey so `{{#name}}…{{/name}}` can test for a value.
public struct Template: Sendable {
    /// The name used in error messages, usually the file path relative to the template directory.
    public let name: String
    let nodes: [TemplateNode]

    /// Parses `source`; errors carry `name` and the line of the offending tag.
    public init(source: String, name: String = "inline") throws(TemplateError) {
        self.name = name
        nodes = try TemplateParser(source: Array(source.utf8), templateName: name).parse()
    }

    /// Renders against `context`, looking partials and parents up in `partials`.
    public func render(
        _ context: JSONValue, partials: some PartialResolver, escaping: TemplateEscaping = .html
    ) throws(TemplateError) -> String {
        var renderer = TemplateRenderer(resolver: partials, escaping: escaping, root: context)
        try renderer.render(self)
        return String(decoding: renderer.output, as: UTF8.self)
    }

    /// Renders against `context` with partials given as source text, parsed for this call.
    public func render(
        _ context: JSONValue, partials: [String: String] = [:], escaping: TemplateEscaping = .html
    ) throws(TemplateError) -> String {
        try render(context, partials: try TemplateSet(sources: partials), escaping: escaping)
    }
}
