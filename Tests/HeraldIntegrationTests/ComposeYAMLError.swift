/// Why `ComposeYAML` could not read a file, with the 1-based line to look at.
enum ComposeYAMLError: Error, Equatable, CustomStringConvertible {
    /// Indentation uses a tab.
    case tabIndentation(line: Int)
    /// A line is indented where no nested block can start.
    case unexpectedIndentation(line: Int)
    /// A mapping line is not `key: value`.
    case expectedKeyValue(line: Int, text: String)
    /// A key appears twice in one mapping.
    case duplicateKey(line: Int, key: String)
    /// `*name` names no earlier `&name`.
    case unknownAlias(line: Int, name: String)
    /// `<<:` merges something other than a mapping.
    case mergeNeedsMapping(line: Int)
    /// A flow list is missing its `]`.
    case unterminatedFlowList(line: Int)
    /// Flow mappings and block scalars are outside the subset.
    case unsupported(line: Int, text: String)

    var description: String {
        switch self {
        case .tabIndentation(let line): return "line \(line): tab in indentation"
        case .unexpectedIndentation(let line): return "line \(line): unexpected indentation"
        case .expectedKeyValue(let line, let text): return "line \(line): expected 'key: value', found '\(text)'"
        case .duplicateKey(let line, let key): return "line \(line): duplicate key '\(key)'"
        case .unknownAlias(let line, let name): return "line \(line): unknown alias '*\(name)'"
        case .mergeNeedsMapping(let line): return "line \(line): a merge key needs a mapping"
        case .unterminatedFlowList(let line): return "line \(line): unterminated flow list"
        case .unsupported(let line, let text): return "line \(line): '\(text)' is outside the supported YAML subset"
        }
    }
}
