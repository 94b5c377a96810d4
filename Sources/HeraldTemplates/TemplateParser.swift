/// Turns template source into `TemplateNode`s: tokenize, remove standalone lines, build the tree.
struct TemplateParser {
    /// The UTF-8 source being parsed.
    let source: [UInt8]
    /// The template's name, for errors.
    let templateName: String
    /// Added to line numbers when this parses a slice of a larger template.
    let lineOffset: Int
    /// Whether the end of the source counts as the end of a line for the standalone rule; false for
    /// a block's content that ends mid-line.
    let endOfSourceEndsLine: Bool
    /// The delimiters in effect at the start of `source`.
    let initialOpen: [UInt8]
    let initialClose: [UInt8]

    init(
        source: [UInt8], templateName: String, lineOffset: Int = 0, endOfSourceEndsLine: Bool = true,
        open: [UInt8] = Array("{{".utf8), close: [UInt8] = Array("}}".utf8)
    ) {
        self.source = source
        self.templateName = templateName
        self.lineOffset = lineOffset
        self.endOfSourceEndsLine = endOfSourceEndsLine
        initialOpen = open
        initialClose = close
    }

    /// Parses the whole source into nodes.
    func parse() throws(TemplateError) -> [TemplateNode] {
        var tokens = try tokenize()
        markStandaloneLines(&tokens)
        return try buildTree(tokens)
    }

    /// Splits the source into text and tag tokens, following set-delimiter tags.
    func tokenize() throws(TemplateError) -> [TemplateToken] {
        var tokens: [TemplateToken] = []
        var open = initialOpen
        var close = initialClose
        var openRegions: [(kind: TemplateToken.Kind, name: String)] = []
        var line = 1 + lineOffset
        var position = 0
        let count = source.count

        func appendText(upTo limit: Int) {
            var pieceStart = position
            var index = position
            while index < limit {
                if source[index] == UInt8(ascii: "\n") {
                    tokens.append(TemplateToken(kind: .text, name: "", start: pieceStart, end: index + 1, line: line,
                                                openDelimiter: open, closeDelimiter: close))
                    line += 1
                    pieceStart = index + 1
                }
                index += 1
            }
            if pieceStart < limit {
                tokens.append(TemplateToken(kind: .text, name: "", start: pieceStart, end: limit, line: line,
                                            openDelimiter: open, closeDelimiter: close))
            }
        }

        while position < count {
            guard let tagStart = find(open, from: position) else { break }
            appendText(upTo: tagStart)
            let tagLine = line
            let afterOpen = tagStart + open.count
            let sigil: UInt8 = afterOpen < count ? source[afterOpen] : 0
            let kind: TemplateToken.Kind
            var contentStart = afterOpen + 1
            let contentEnd: Int
            let tagEnd: Int
            switch sigil {
            case UInt8(ascii: "{"):
                let closer = [UInt8(ascii: "}")] + close
                guard let found = find(closer, from: contentStart) else {
                    throw .unclosedTag(template: templateName, line: tagLine, expected: text(closer))
                }
                kind = .variable(escaped: false)
                (contentEnd, tagEnd) = (found, found + closer.count)
            case UInt8(ascii: "="):
                let closer = [UInt8(ascii: "=")] + close
                guard let found = find(closer, from: contentStart) else {
                    throw .unclosedTag(template: templateName, line: tagLine, expected: text(closer))
                }
                kind = .setDelimiters
                (contentEnd, tagEnd) = (found, found + closer.count)
            default:
                guard let found = find(close, from: afterOpen) else {
                    throw .unclosedTag(template: templateName, line: tagLine, expected: text(close))
                }
                (contentEnd, tagEnd) = (found, found + close.count)
                switch sigil {
                case UInt8(ascii: "&"): kind = .variable(escaped: false)
                case UInt8(ascii: "#"): kind = .sectionOpen
                case UInt8(ascii: "^"): kind = .invertedOpen
                case UInt8(ascii: "/"): kind = .close
                case UInt8(ascii: "!"): kind = .comment
                case UInt8(ascii: ">"): kind = .partial
                case UInt8(ascii: "<"): kind = .parentOpen
                case UInt8(ascii: "$"): kind = .blockOpen
                default:
                    kind = .variable(escaped: true)
                    contentStart = afterOpen
                }
            }
            for index in tagStart..<tagEnd where source[index] == UInt8(ascii: "\n") { line += 1 }
            let rawContent = Array(source[min(contentStart, contentEnd)..<contentEnd])
            let tagText = text(Array(source[tagStart..<tagEnd]))
            var name = ""
            switch kind {
            case .comment:
                break
            case .setDelimiters:
                let parts = trimmed(rawContent).split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
                guard parts.count == 2, parts.allSatisfy({ !$0.contains(UInt8(ascii: "=")) }) else {
                    throw .invalidDelimiter(template: templateName, line: tagLine, tag: tagText)
                }
                open = Array(parts[0])
                close = Array(parts[1])
            case .partial, .parentOpen, .close:
                var content = trimmed(rawContent)
                if content.first == UInt8(ascii: "*") {
                    content = [UInt8(ascii: "*")] + trimmed(Array(content.dropFirst()))
                }
                name = try validName(content, tag: tagText, line: tagLine)
            default:
                name = try validName(trimmed(rawContent), tag: tagText, line: tagLine)
            }
            var token = TemplateToken(kind: kind, name: name, start: tagStart, end: tagEnd, line: tagLine,
                                      openDelimiter: open, closeDelimiter: close)
            if kind.opensRegion {
                openRegions.append((kind, name))
            } else if kind == .close, let innermost = openRegions.last, innermost.name == name {
                token.closes = innermost.kind
                openRegions.removeLast()
            }
            tokens.append(token)
            position = tagEnd
        }
        appendText(upTo: count)
        return tokens
    }

    /// The first index at or after `start` where `needle` occurs.
    func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= source.count else { return nil }
        var index = start
        let last = source.count - needle.count
        while index <= last {
            if source[index] == first {
                var offset = 1
                while offset < needle.count, source[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }

    func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return Array(bytes[first...last])
    }

    func validName(_ bytes: [UInt8], tag: String, line: Int) throws(TemplateError) -> String {
        let isDynamicOnly = bytes == [UInt8(ascii: "*")]
        guard !bytes.isEmpty, !isDynamicOnly,
              !bytes.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            throw .invalidTagName(template: templateName, line: line, tag: tag)
        }
        return text(bytes)
    }

    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
