/// Why `ComposeYAML` could not read a file: the line and what was wrong there.
struct ComposeYAMLError: Error, CustomStringConvertible {
    /// The 1-based line number.
    var line: Int
    /// What was wrong.
    var message: String

    var description: String { "line \(line): \(message)" }
}
