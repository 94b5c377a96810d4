import HeraldCore
import HeraldTemplates
import Testing

/// Parse and render errors name the template and the line to fix.
struct TemplateErrorTests {
    func parseError(_ source: String) -> TemplateError? {
        do {
            _ = try Template(source: source, name: "mail.mustache")
            return nil
        } catch {
            return error
        }
    }

    @Test func unclosedTagReportsItsLine() {
        #expect(parseError("Hello\n\nthere {{name") == .unclosedTag(template: "mail.mustache", line: 3, expected: "}}"))
        #expect(parseError("a\n{{{raw}}") == .unclosedTag(template: "mail.mustache", line: 2, expected: "}}}"))
    }

    @Test func unclosedSectionReportsTheOpeningLine() {
        let error = parseError("one\n{{#items}}\n  {{name}}\n")
        #expect(error == .unclosedSection(template: "mail.mustache", line: 2, name: "items"))
        #expect(error?.description == "mail.mustache:2: section 'items' is never closed with '{{/items}}'")
    }

    @Test func mismatchedCloseReportsBothNames() {
        #expect(parseError("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}")
            == .mismatchedSectionClose(template: "mail.mustache", line: 3, expected: "b", found: "a"))
        #expect(parseError("x\n{{/a}}")
            == .mismatchedSectionClose(template: "mail.mustache", line: 2, expected: nil, found: "a"))
    }

    @Test func invalidDelimitersAreRejected() {
        #expect(parseError("\n{{=<% =}}") == .invalidDelimiter(template: "mail.mustache", line: 2, tag: "{{=<% =}}"))
        #expect(parseError("{{=a= b=}}") == .invalidDelimiter(template: "mail.mustache", line: 1, tag: "{{=a= b=}}"))
    }

    @Test func emptyOrSpacedNamesAreRejected() {
        #expect(parseError("{{ }}") == .invalidTagName(template: "mail.mustache", line: 1, tag: "{{ }}"))
        #expect(parseError("\n\n{{#first name}}{{/first name}}")
            == .invalidTagName(template: "mail.mustache", line: 3, tag: "{{#first name}}"))
    }

    @Test func linesCountInsideBlocksAndAfterMultilineTags() {
        let source = "{{<layout}}\n{{$content}}\n  a\n  {{#x}}\n{{/content}}\n{{/layout}}"
        #expect(parseError(source) == .mismatchedSectionClose(template: "mail.mustache", line: 5, expected: "x", found: "content"))
        #expect(parseError("{{! a\nmultiline\ncomment }}\n{{oops") == .unclosedTag(template: "mail.mustache", line: 4, expected: "}}"))
    }

    @Test func selfIncludingPartialHitsTheRecursionLimit() throws {
        let partials = try TemplateSet(sources: ["loop": "x{{> loop}}"])
        #expect(throws: TemplateError.recursionLimitExceeded(template: "loop", partial: "loop", limit: 64)) {
            try Template(source: "{{> loop}}", name: "main").render([:], partials: partials)
        }
    }

    @Test func selfInheritingParentHitsTheRecursionLimit() throws {
        let partials = try TemplateSet(sources: ["base": "{{<base}}{{$a}}b{{/a}}{{/base}}"])
        #expect(throws: TemplateError.recursionLimitExceeded(template: "base", partial: "base", limit: 64)) {
            try Template(source: "{{<base}}{{/base}}", name: "main").render([:], partials: partials)
        }
    }

    @Test func deepButFiniteRecursionRenders() throws {
        let partials = try TemplateSet(sources: ["node": "{{name}}{{#child}}({{> node}}){{/child}}"])
        // The leaf names `child` as null: otherwise the lookup would find its parent's child and recurse forever.
        var tree: JSONValue = ["name": "leaf", "child": nil]
        for level in 0..<40 { tree = ["name": .string("n\(level)"), "child": tree] }
        let rendered = try Template(source: "{{> node}}").render(tree, partials: partials)
        #expect(rendered.hasPrefix("n39(n38(") && rendered.hasSuffix("(leaf)" + String(repeating: ")", count: 39)))
    }

    @Test func missingPartialRendersNothing() throws {
        #expect(try Template(source: "[{{> nowhere}}]").render([:]) == "[]")
    }
}
