/// The spec's standalone-line rule: a line holding only white space and one non-interpolation tag
/// (or one of the inheritance tag pairs) is removed from the output.
extension TemplateParser {
    func markStandaloneLines(_ tokens: inout [TemplateToken]) {
        var lineFirst = 0
        while lineFirst < tokens.count {
            var lineLast = lineFirst
            while lineLast < tokens.count, !endsLine(tokens[lineLast]) { lineLast += 1 }
            if lineLast == tokens.count {
                lineLast -= 1
                if endOfSourceEndsLine { markLine(&tokens, lineFirst...lineLast) }
            } else {
                markLine(&tokens, lineFirst...lineLast)
            }
            lineFirst = lineLast + 1
        }
    }

    private func endsLine(_ token: TemplateToken) -> Bool {
        token.kind == .text && source[token.end - 1] == UInt8(ascii: "\n")
    }

    private func isBlank(_ token: TemplateToken) -> Bool {
        var end = token.end
        if source[end - 1] == UInt8(ascii: "\n") {
            end -= 1
            if end > token.start, source[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        }
        for index in token.start..<end where source[index] != 0x20 && source[index] != 0x09 { return false }
        return true
    }

    private func markLine(_ tokens: inout [TemplateToken], _ line: ClosedRange<Int>) {
        var tags: [Int] = []
        for index in line {
            if tokens[index].kind == .text {
                guard isBlank(tokens[index]) else { return }
            } else {
                tags.append(index)
            }
        }
        let lineStart = tokens[line.lowerBound].start
        let lineEnd = tokens[line.upperBound].end
        var indentation: [UInt8] = []
        if let firstTag = tags.first {
            for index in line.lowerBound..<firstTag { indentation += source[tokens[index].start..<tokens[index].end] }
        }

        func removeLine(keepingNewline: Bool) {
            for index in line where tokens[index].kind == .text {
                if keepingNewline, index == line.upperBound, endsLine(tokens[index]) {
                    var newline = tokens[index].end - 1
                    if newline > tokens[index].start, source[newline - 1] == UInt8(ascii: "\r") { newline -= 1 }
                    tokens[index].start = newline
                } else {
                    tokens[index].isRemoved = true
                }
            }
            for index in tags {
                tokens[index].isStandalone = true
                tokens[index].indentation = indentation
            }
        }

        if tags.count == 1 {
            let tag = tags[0]
            guard tokens[tag].kind.canStandAlone else { return }
            removeLine(keepingNewline: false)
            tokens[tag].contentStart = lineEnd
            tokens[tag].contentEnd = lineStart
            return
        }
        guard tags.count == 2, tags[1] == tags[0] + 1 else { return }
        let (first, second) = (tokens[tags[0]], tokens[tags[1]])
        switch (first.kind, second.kind) {
        case (.parentOpen, .close) where second.closes == .parentOpen:
            // `{{<parent}}{{/parent}}` alone on a line is a standalone parent.
            removeLine(keepingNewline: false)
        case (.blockOpen, .close) where second.closes == .blockOpen:
            // An empty block alone on a line is standalone but keeps its line ending, so an empty
            // substitution still leaves the line (spec ~inheritance "Standalone block").
            removeLine(keepingNewline: true)
        case (.parentOpen, .blockOpen):
            removeLine(keepingNewline: false)
            tokens[tags[1]].contentStart = lineEnd
        case (.close, .close) where first.closes == .blockOpen && second.closes == .parentOpen:
            removeLine(keepingNewline: false)
            tokens[tags[0]].contentEnd = lineStart
        default:
            return
        }
    }
}
