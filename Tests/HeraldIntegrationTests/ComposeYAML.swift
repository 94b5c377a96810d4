/// A value in the small YAML subset that `docker/docker-compose.yml` is written in: block mappings and
/// lists by indentation, `- key: value` list items, flow lists of scalars (`["a", "b"]`), quoted and
/// plain scalars, comments, anchors (`&name`), aliases (`*name`) and merge keys (`<<: *name`).
///
/// Written for the compose tests because the package takes no dependencies; anything outside the
/// subset (flow mappings, block scalars, tabs) is reported as an error rather than misread.
enum ComposeYAML: Equatable {
    case null
    case scalar(String)
    case list([ComposeYAML])
    case map([String: ComposeYAML])

    /// The member `key` of a mapping.
    subscript(key: String) -> ComposeYAML? {
        if case .map(let members) = self { return members[key] }
        return nil
    }

    /// The text of a scalar.
    var string: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }

    /// The elements of a list.
    var list: [ComposeYAML]? {
        if case .list(let elements) = self { return elements }
        return nil
    }

    /// The texts of a list of scalars (`nil` when this is not a list or holds anything else).
    var strings: [String]? {
        guard case .list(let elements) = self else { return nil }
        let texts = elements.compactMap(\.string)
        return texts.count == elements.count ? texts : nil
    }

    /// The members of a mapping.
    var map: [String: ComposeYAML]? {
        if case .map(let members) = self { return members }
        return nil
    }

    /// Parses a whole document.
    static func parse(_ text: String) throws(ComposeYAMLError) -> ComposeYAML {
        var parser = Parser(lines: try logicalLines(text))
        guard !parser.lines.isEmpty else { return .null }
        let value = try parser.block(indent: parser.lines[0].indent)
        if parser.index < parser.lines.count {
            throw .unexpectedIndentation(line: parser.lines[parser.index].number)
        }
        return value
    }

    private struct Line {
        var indent: Int
        var text: String
        var number: Int

        var isListItem: Bool { text == "-" || text.hasPrefix("- ") }
    }

    private static func logicalLines(_ text: String) throws(ComposeYAMLError) -> [Line] {
        var lines: [Line] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let leading = raw.prefix(while: { $0 == " " || $0 == "\t" })
            if leading.contains("\t") { throw .tabIndentation(line: number) }
            var content = String(stripComment(raw.dropFirst(leading.count)))
            while content.last == " " || content.last == "\r" { content.removeLast() }
            if content.isEmpty || content == "---" { continue }
            lines.append(Line(indent: leading.count, text: content, number: number))
        }
        return lines
    }

    /// Drops a `#` comment that starts the line or follows a space, outside quotes.
    private static func stripComment(_ text: Substring) -> Substring {
        var quote: Character?
        var previous: Character = " "
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#", previous == " " {
                return text[..<index]
            }
            previous = character
        }
        return text
    }

    private struct Parser {
        var lines: [Line]
        var index = 0
        var anchors: [String: ComposeYAML] = [:]

        mutating func block(indent: Int) throws(ComposeYAMLError) -> ComposeYAML {
            lines[index].isListItem ? try list(indent: indent) : try mapping(indent: indent)
        }

        mutating func list(indent: Int) throws(ComposeYAMLError) -> ComposeYAML {
            var elements: [ComposeYAML] = []
            while index < lines.count, lines[index].indent == indent, lines[index].isListItem {
                let line = lines[index]
                let rest = line.text.dropFirst().drop(while: { $0 == " " })
                if rest.isEmpty {
                    index += 1
                    elements.append(try nested(after: line))
                } else if Self.splitKey(rest) != nil, !rest.hasPrefix("\""), !rest.hasPrefix("'"), !rest.hasPrefix("[") {
                    // `- key: value` starts a mapping whose keys line up with `key`.
                    let column = line.indent + (line.text.count - rest.count)
                    lines[index] = Line(indent: column, text: String(rest), number: line.number)
                    elements.append(try mapping(indent: column))
                } else {
                    index += 1
                    elements.append(try value(String(rest), line: line))
                }
            }
            return .list(elements)
        }

        mutating func mapping(indent: Int) throws(ComposeYAMLError) -> ComposeYAML {
            var members: [String: ComposeYAML] = [:]
            var merged: [[String: ComposeYAML]] = []
            while index < lines.count, lines[index].indent == indent, !lines[index].isListItem {
                let line = lines[index]
                guard let (key, rest) = Self.splitKey(Substring(line.text)) else {
                    throw .expectedKeyValue(line: line.number, text: line.text)
                }
                index += 1
                var text = rest
                var anchor: String?
                if text.hasPrefix("&") {
                    let name = text.dropFirst().prefix(while: { $0 != " " })
                    anchor = String(name)
                    text = String(text.dropFirst(name.count + 1).drop(while: { $0 == " " }))
                }
                let member: ComposeYAML
                if text.isEmpty {
                    if index < lines.count, lines[index].indent == indent, lines[index].isListItem {
                        member = try list(indent: indent)
                    } else {
                        member = try nested(after: line)
                    }
                } else {
                    member = try value(text, line: line)
                }
                if let anchor { anchors[anchor] = member }
                if key == "<<" {
                    guard case .map(let source) = member else {
                        throw .mergeNeedsMapping(line: line.number)
                    }
                    merged.append(source)
                    continue
                }
                guard members[key] == nil else {
                    throw .duplicateKey(line: line.number, key: key)
                }
                members[key] = member
            }
            // Explicit keys win over merged ones, whatever their order.
            for source in merged {
                for (key, value) in source where members[key] == nil { members[key] = value }
            }
            return .map(members)
        }

        /// The block indented under `line`, or null when nothing is.
        mutating func nested(after line: Line) throws(ComposeYAMLError) -> ComposeYAML {
            guard index < lines.count, lines[index].indent > line.indent else { return .null }
            return try block(indent: lines[index].indent)
        }

        func value(_ text: String, line: Line) throws(ComposeYAMLError) -> ComposeYAML {
            if text.hasPrefix("*") {
                guard let target = anchors[String(text.dropFirst())] else {
                    throw .unknownAlias(line: line.number, name: String(text.dropFirst()))
                }
                return target
            }
            if text.hasPrefix("[") {
                guard text.hasSuffix("]") else {
                    throw .unterminatedFlowList(line: line.number)
                }
                let inner = text.dropFirst().dropLast()
                var elements: [ComposeYAML] = []
                var current = ""
                var quote: Character?
                for character in inner {
                    if let open = quote {
                        if character == open { quote = nil }
                        current.append(character)
                    } else if character == "\"" || character == "'" {
                        quote = character
                        current.append(character)
                    } else if character == "," {
                        elements.append(.scalar(Self.unquote(current)))
                        current = ""
                    } else {
                        current.append(character)
                    }
                }
                if !current.allSatisfy({ $0 == " " }) { elements.append(.scalar(Self.unquote(current))) }
                return .list(elements)
            }
            if text.hasPrefix("{") || text.hasPrefix("|") || text.hasPrefix(">") {
                throw .unsupported(line: line.number, text: text)
            }
            return .scalar(Self.unquote(text))
        }

        /// Splits `key: value` (or `key:`) outside quotes; `nil` when the text is not a mapping entry.
        static func splitKey(_ text: Substring) -> (String, String)? {
            var quote: Character?
            for index in text.indices {
                let character = text[index]
                if let open = quote {
                    if character == open { quote = nil }
                    continue
                }
                if character == "\"" || character == "'" {
                    quote = character
                } else if character == ":" {
                    let after = text.index(after: index)
                    if after == text.endIndex || text[after] == " " {
                        let key = unquote(String(text[..<index]))
                        let value = text[after...].drop(while: { $0 == " " })
                        return (key, String(value))
                    }
                }
            }
            return nil
        }

        static func unquote(_ text: String) -> String {
            let trimmed = text.trimmingSpaces()
            if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first {
                return String(trimmed.dropFirst().dropLast())
            }
            return trimmed
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
