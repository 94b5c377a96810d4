/// Why a template could not be parsed, found or rendered, with the template name and line to fix.
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A tag was opened (`{{`) but its closing delimiter never appears.
    case unclosedTag(template: String, line: Int, expected: String)
    /// A section, block or parent was opened and the template ended before its `{{/name}}`.
    case unclosedSection(template: String, line: Int, name: String)
    /// A `{{/name}}` does not close the innermost open section (`expected` is `nil` when none is open).
    case mismatchedSectionClose(template: String, line: Int, expected: String?, found: String)
    /// A `{{=open close=}}` tag does not name two valid delimiters.
    case invalidDelimiter(template: String, line: Int, tag: String)
    /// A tag's name is empty or contains white space.
    case invalidTagName(template: String, line: Int, tag: String)
    /// Partials or parents nest deeper than `limit`, which usually means a partial includes itself.
    case recursionLimitExceeded(template: String, partial: String, limit: Int)
    /// A template file or directory does not exist.
    case fileNotFound(path: String)
    /// A file exists but cannot be read or is not UTF-8.
    case unreadableFile(path: String, reason: String)
    /// A data file for a preview is not valid JSON.
    case invalidData(path: String, line: Int, column: Int, reason: String)
    /// No template with this name exists in the library (for any of the locales tried).
    case templateNotFound(name: String, locale: String?, directory: String)

    /// A message naming the file or template and the line, suitable for a CLI or a log.
    public var description: String {
        switch self {
        case .unclosedTag(let template, let line, let expected):
            return "\(template):\(line): unclosed tag: expected '\(expected)' before the end of the template"
        case .unclosedSection(let template, let line, let name):
            return "\(template):\(line): section '\(name)' is never closed with '{{/\(name)}}'"
        case .mismatchedSectionClose(let template, let line, let expected, let found):
            if let expected {
                return "\(template):\(line): '{{/\(found)}}' closes nothing here: the open section is '\(expected)'"
            }
            return "\(template):\(line): '{{/\(found)}}' closes a section that was never opened"
        case .invalidDelimiter(let template, let line, let tag):
            return "\(template):\(line): invalid set-delimiter tag '\(tag)': expected two delimiters without '=' or spaces"
        case .invalidTagName(let template, let line, let tag):
            return "\(template):\(line): invalid tag '\(tag)': the name is empty or contains spaces"
        case .recursionLimitExceeded(let template, let partial, let limit):
            return "\(template): including '\(partial)' exceeds the nesting limit of \(limit) (does a partial include itself?)"
        case .fileNotFound(let path):
            return "\(path): no such file or directory"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .invalidData(let path, let line, let column, let reason):
            return "\(path):\(line):\(column): invalid JSON: \(reason)"
        case .templateNotFound(let name, let locale, let directory):
            let variant = locale.map { " (locale \($0) or a fallback)" } ?? ""
            return "\(directory): no template named '\(name)'\(variant)"
        }
    }
}
