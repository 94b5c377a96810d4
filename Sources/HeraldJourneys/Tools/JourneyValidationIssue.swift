/// One problem in a journey file: where (a JSON path such as `$.steps[2].wait.duration`) and why.
public struct JourneyValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file, as given to the validator.
    public var file: String
    /// The JSON path of the offending member.
    public var path: String
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates an issue.
    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    /// `file: path: message`.
    public var description: String { "\(file): \(path): \(message)" }
}
