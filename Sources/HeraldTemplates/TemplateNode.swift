/// One element of a parsed template. Standalone lines are already removed; indentation for partials
/// is applied at `lineStart` markers, so one parse serves every indentation level.
enum TemplateNode: Sendable {
    /// Literal UTF-8 text.
    case text([UInt8])
    /// The start of a source line: emits the current partial indentation.
    case lineStart
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{& name}}`.
    case variable(TemplateName, escaped: Bool)
    /// `{{#name}}…{{/name}}`, or `{{^name}}…{{/name}}` when inverted.
    case section(TemplateName, [TemplateNode], inverted: Bool)
    /// `{{> name}}`; `indentation` is set when the tag is standalone.
    case partial(PartialReference, indentation: [UInt8]?)
    /// `{{< name}}…{{/name}}` with the blocks it overrides; `indentation` is set when standalone.
    case parent(PartialReference, indentation: [UInt8]?, arguments: [TemplateBlock])
    /// `{{$name}}…{{/name}}` outside a parent tag: a replaceable region.
    case block(TemplateBlock)
}
