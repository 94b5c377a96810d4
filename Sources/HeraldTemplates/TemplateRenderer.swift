import HeraldCore

/// Walks a template's nodes against a context stack, appending UTF-8 to one buffer.
struct TemplateRenderer<Resolver: PartialResolver> {
    /// How deep partials and parents may nest before rendering stops with an error.
    static var recursionLimit: Int { 64 }

    /// A block argument in effect: what to render for `{{$name}}` and how it was indented where defined.
    struct Argument {
        var nodes: [TemplateNode]
        /// Whether the content was dedented (it then starts at a line start).
        var isStandalone: Bool
        /// The partial indentation in effect where a non-standalone argument was written.
        var indentation: [UInt8]
    }

    let resolver: Resolver
    let escaping: TemplateEscaping
    private(set) var output: [UInt8] = []
    private var stack: [JSONValue]
    private var depth = 0

    init(resolver: Resolver, escaping: TemplateEscaping, root: JSONValue) {
        self.resolver = resolver
        self.escaping = escaping
        stack = [root]
        output.reserveCapacity(1024)
    }

    mutating func render(_ template: Template) throws(TemplateError) {
        try render(template.nodes, in: template.name, indentation: [], arguments: [:])
    }

    private mutating func render(
        _ nodes: [TemplateNode], in templateName: String, indentation: [UInt8], arguments: [String: Argument]
    ) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let bytes):
                output.append(contentsOf: bytes)
            case .lineStart:
                output.append(contentsOf: indentation)
            case .variable(let name, let escaped):
                guard let value = lookup(name) else { continue }
                append(value, escaping: escaped ? escaping : .none)
            case .section(let name, let children, let inverted):
                let value = lookup(name) ?? .null
                if inverted {
                    if !Self.isTruthy(value) {
                        try render(children, in: templateName, indentation: indentation, arguments: arguments)
                    }
                } else if case .array(let elements) = value {
                    for element in elements {
                        stack.append(element)
                        try render(children, in: templateName, indentation: indentation, arguments: arguments)
                        stack.removeLast()
                    }
                } else if Self.isTruthy(value) {
                    stack.append(value)
                    try render(children, in: templateName, indentation: indentation, arguments: arguments)
                    stack.removeLast()
                }
            case .partial(let reference, let ownIndentation):
                try include(reference, from: templateName, indentation: ownIndentation.map { indentation + $0 } ?? [],
                            arguments: arguments)
            case .parent(let reference, let ownIndentation, let blocks):
                var merged = arguments
                // Arguments from further out win: the outermost template decides.
                for block in blocks where merged[block.name] == nil {
                    merged[block.name] = Argument(nodes: block.nodes, isStandalone: block.isStandalone,
                                                  indentation: block.isStandalone ? [] : indentation)
                }
                try include(reference, from: templateName, indentation: ownIndentation.map { indentation + $0 } ?? [],
                            arguments: merged)
            case .block(let block):
                let content = arguments[block.name]
                    ?? Argument(nodes: block.nodes, isStandalone: block.isStandalone,
                                indentation: block.isStandalone ? [] : indentation)
                if block.isStandalone {
                    let base = indentation + block.indentation
                    if !content.isStandalone, !content.nodes.isEmpty { output.append(contentsOf: base) }
                    try render(content.nodes, in: templateName, indentation: base + content.indentation,
                               arguments: arguments)
                } else {
                    try render(content.nodes, in: templateName, indentation: content.indentation, arguments: arguments)
                }
            }
        }
    }

    private mutating func include(
        _ reference: PartialReference, from templateName: String, indentation: [UInt8], arguments: [String: Argument]
    ) throws(TemplateError) {
        let partialName: String
        switch reference {
        case .fixed(let name):
            partialName = name
        case .dynamic(let name):
            guard let value = lookup(name), let name = Self.text(of: value) else { return }
            partialName = name
        }
        guard let template = try resolver.template(named: partialName) else { return }
        guard depth < Self.recursionLimit else {
            throw .recursionLimitExceeded(template: templateName, partial: partialName, limit: Self.recursionLimit)
        }
        depth += 1
        defer { depth -= 1 }
        try render(template.nodes, in: template.name, indentation: indentation, arguments: arguments)
    }

    /// Resolves a dotted name: the first part through the context stack, the rest strictly inside it.
    private func lookup(_ name: TemplateName) -> JSONValue? {
        guard let first = name.components.first else { return stack.last }
        var found: JSONValue?
        for frame in stack.reversed() {
            if case .object(let members) = frame, let value = members[first] {
                found = value
                break
            }
        }
        return found?.value(atComponents: name.components.dropFirst())
    }

    static func isTruthy(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return false
        case .bool(let flag): return flag
        case .array(let elements): return !elements.isEmpty
        case .string(let text): return !text.isEmpty
        case .number, .object: return true
        }
    }

    /// The text a value interpolates as; `nil` for null.
    static func text(of value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        case .number(let number): return format(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .array, .object: return value.serialized()
        }
    }

    /// Numbers print as JSON does: integers without a fraction, others in the shortest exact form.
    static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }

    private mutating func append(_ value: JSONValue, escaping: TemplateEscaping) {
        let text: String
        switch value {
        case .null: return
        case .string(let string): text = string
        default: text = Self.text(of: value) ?? ""
        }
        switch escaping {
        case .none:
            output.append(contentsOf: text.utf8)
        case .html:
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
                default: output.append(byte)
                }
            }
        case .json:
            let hex = Array("0123456789abcdef".utf8)
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: [92, 34])
                case UInt8(ascii: "\\"): output.append(contentsOf: [92, 92])
                case 0x0A: output.append(contentsOf: [92, UInt8(ascii: "n")])
                case 0x0D: output.append(contentsOf: [92, UInt8(ascii: "r")])
                case 0x09: output.append(contentsOf: [92, UInt8(ascii: "t")])
                case 0..<0x20:
                    output.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default: output.append(byte)
                }
            }
        }
    }
}
