import Foundation
import HeraldCore

/// A JSON document whose string values are Mustache templates, rendered into a JSON document:
/// an action step's profile value or a webhook call's body (docs/journeys.md#action-steps).
///
/// Object member names are kept as written. A string that is exactly one interpolation tag
/// (`"{{event.properties.total}}"`, `"{{{profile.tags}}}"`) takes the value at that name with its
/// JSON type (a number stays a number, an object an object; a missing name is `null`); any other
/// string is rendered as text without escaping, since the result is JSON, not HTML.
public struct JSONTemplate: Sendable, Hashable {
    /// The document as written.
    public let source: JSONValue
    /// Used in error messages, e.g. `journey.json $.steps[2].callWebhook.body`.
    public let name: String

    /// Parses every string of `source`, so a broken tag is reported before anything is rendered.
    public init(_ source: JSONValue, name: String = "inline") throws(TemplateError) {
        self.source = source
        self.name = name
        try Self.check(source, name: name)
    }

    /// The rendered document.
    public func render(_ context: JSONValue) throws(TemplateError) -> JSONValue {
        try Self.render(source, context: context, name: name)
    }

    /// Renders one string template as text (a URL, a header value).
    public static func renderText(_ text: String, context: JSONValue, name: String = "inline") throws(TemplateError) -> String {
        guard text.contains("{{") else { return text }
        return try Template(source: text, name: name).render(context, escaping: .none)
    }

    /// The name inside `text` when it is exactly one interpolation tag (`{{ a.b }}`, `{{{a.b}}}`,
    /// `{{& a.b}}`), else `nil`.
    public static func wholeTag(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var inner: Substring
        if trimmed.hasPrefix("{{{"), trimmed.hasSuffix("}}}") {
            inner = trimmed.dropFirst(3).dropLast(3)
        } else if trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}") {
            inner = trimmed.dropFirst(2).dropLast(2)
            if inner.hasPrefix("&") { inner = inner.dropFirst() }
        } else {
            return nil
        }
        let name = inner.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.contains(where: { "{}#^/!>=<$&".contains($0) || $0.isWhitespace }) else { return nil }
        return name
    }

    static func check(_ value: JSONValue, name: String) throws(TemplateError) {
        switch value {
        case .string(let text):
            if text.contains("{{") { _ = try Template(source: text, name: name) }
        case .array(let elements):
            for element in elements { try check(element, name: name) }
        case .object(let members):
            for key in members.keys.sorted() { try check(members[key] ?? .null, name: name) }
        default:
            break
        }
    }

    static func render(_ value: JSONValue, context: JSONValue, name: String) throws(TemplateError) -> JSONValue {
        switch value {
        case .string(let text):
            if let path = wholeTag(text) { return path == "." ? context : (context.value(atPath: path) ?? .null) }
            return .string(try renderText(text, context: context, name: name))
        case .array(let elements):
            var rendered: [JSONValue] = []
            for element in elements { rendered.append(try render(element, context: context, name: name)) }
            return .array(rendered)
        case .object(let members):
            var rendered: [String: JSONValue] = [:]
            for (key, member) in members { rendered[key] = try render(member, context: context, name: name) }
            return .object(rendered)
        default:
            return value
        }
    }
}
