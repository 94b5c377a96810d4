/// Builds the node tree from tokens, checking that sections nest, and re-parses standalone blocks
/// with their indentation removed so it can be re-applied where they are expanded.
extension TemplateParser {
    private struct Frame {
        var token: TemplateToken?
        var nodes: [TemplateNode] = []
        var arguments: [TemplateBlock] = []
    }

    func buildTree(_ tokens: [TemplateToken]) throws(TemplateError) -> [TemplateNode] {
        var stack = [Frame(token: nil)]

        func append(_ node: TemplateNode) {
            if case .text(let bytes) = node, case .text(let previous)? = stack[stack.count - 1].nodes.last {
                stack[stack.count - 1].nodes[stack[stack.count - 1].nodes.count - 1] = .text(previous + bytes)
            } else {
                stack[stack.count - 1].nodes.append(node)
            }
        }

        for token in tokens {
            if token.kind == .text {
                guard !token.isRemoved, token.start < token.end else { continue }
                let bytes = Array(source[token.start..<token.end])
                let isEmptyLine = bytes == [0x0A] || bytes == [0x0D, 0x0A]
                if isAtLineStart(token.start), !isEmptyLine { append(.lineStart) }
                append(.text(bytes))
                continue
            }
            if !token.isStandalone, isAtLineStart(token.start) { append(.lineStart) }
            let indentation: [UInt8]? = token.isStandalone ? token.indentation : nil
            switch token.kind {
            case .text, .comment, .setDelimiters:
                break
            case .variable(let escaped):
                append(.variable(TemplateName(token.name), escaped: escaped))
            case .partial:
                append(.partial(reference(token.name), indentation: indentation))
            case .sectionOpen, .invertedOpen, .parentOpen, .blockOpen:
                stack.append(Frame(token: token))
            case .close:
                guard stack.count > 1, let open = stack[stack.count - 1].token, open.name == token.name else {
                    throw .mismatchedSectionClose(template: templateName, line: token.line,
                                                  expected: stack.last?.token?.name, found: token.name)
                }
                let frame = stack.removeLast()
                switch open.kind {
                case .sectionOpen, .invertedOpen:
                    append(.section(TemplateName(open.name), frame.nodes, inverted: open.kind == .invertedOpen))
                case .parentOpen:
                    append(.parent(reference(open.name), indentation: open.isStandalone ? open.indentation : nil,
                                   arguments: frame.arguments))
                default:
                    let block = try makeBlock(open: open, close: token, inlineNodes: frame.nodes)
                    if stack[stack.count - 1].token?.kind == .parentOpen {
                        stack[stack.count - 1].arguments.append(block)
                    } else {
                        append(.block(block))
                    }
                }
            }
        }
        if stack.count > 1, let open = stack.last?.token {
            throw .unclosedSection(template: templateName, line: open.line, name: open.name)
        }
        return stack[0].nodes
    }

    private func isAtLineStart(_ position: Int) -> Bool {
        position == 0 || source[position - 1] == UInt8(ascii: "\n")
    }

    private func reference(_ name: String) -> PartialReference {
        name.hasPrefix("*") ? .dynamic(TemplateName(String(name.dropFirst()))) : .fixed(name)
    }

    /// A block whose opening tag is standalone has its content dedented and parsed on its own:
    /// "block indentation is removed at the site of definition and added at the site of expansion".
    private func makeBlock(open: TemplateToken, close: TemplateToken, inlineNodes: [TemplateNode]) throws(TemplateError)
        -> TemplateBlock
    {
        guard open.isStandalone else {
            return TemplateBlock(name: open.name, nodes: inlineNodes, isStandalone: false, indentation: [])
        }
        let start = open.contentStart
        let end = max(start, close.contentEnd)
        var firstLine = open.line
        for index in open.start..<start where source[index] == UInt8(ascii: "\n") { firstLine += 1 }
        let (dedented, common) = Self.dedent(source[start..<end])
        let parser = TemplateParser(
            source: dedented, templateName: templateName, lineOffset: firstLine - 1, endOfSourceEndsLine: false,
            open: open.openDelimiter, close: open.closeDelimiter)
        return TemplateBlock(name: open.name, nodes: try parser.parse(), isStandalone: true,
                             indentation: common.isEmpty ? open.indentation : common)
    }

    /// Removes the white space common to the start of every non-blank line; blank lines become empty.
    static func dedent(_ text: ArraySlice<UInt8>) -> (text: [UInt8], indentation: [UInt8]) {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = text.startIndex
        for index in text.indices where text[index] == UInt8(ascii: "\n") {
            lines.append(text[lineStart...index])
            lineStart = index + 1
        }
        if lineStart < text.endIndex { lines.append(text[lineStart...]) }

        func leadingSpace(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            line.prefix(while: { $0 == 0x20 || $0 == 0x09 })
        }
        func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
            line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        }
        var common: [UInt8]?
        for line in lines where !isBlank(line) {
            let space = Array(leadingSpace(line))
            if let current = common {
                common = Array(zip(current, space).prefix(while: { $0 == $1 }).map(\.0))
            } else {
                common = space
            }
        }
        let indentation = common ?? []
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        for line in lines {
            if isBlank(line) {
                result += line.drop(while: { $0 == 0x20 || $0 == 0x09 })
            } else {
                result += line.dropFirst(indentation.count)
            }
        }
        return (result, indentation)
    }
}
