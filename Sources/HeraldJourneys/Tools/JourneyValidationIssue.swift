/// One problem in a journey file: where (a JSON path such as `$.steps[2].wait.duration`, and the
/// line and column for a JSON syntax error) and why.
public struct JourneyValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file, as given to the validator.
    public var file: String
    /// The JSON path of the offending member.
    public var path: String
    /// What is wrong and how to fix it.
    public var message: String
    /// The 1-based line, when the problem is at a known place in the text (JSON syntax errors).
    public var line: Int?
    /// The 1-based column on `line`.
    public var column: Int?

    /// Creates an issue.
    public init(file: String, path: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.path = path
        self.message = message
        self.line = line
        self.column = column
    }

    /// `file: path: message`, or `file:line:column: message` when the place in the text is known.
    public var description: String {
        if let line, let column { return "\(file):\(line):\(column): \(message)" }
        return "\(file): \(path): \(message)"
    }
}
