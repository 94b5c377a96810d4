/// Why a journey directory could not be loaded.
public enum JourneyCatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The directory or a file could not be read.
    case unreadable(file: String, reason: String)
    /// A file is not a valid journey; the issues say where and why.
    case invalid(file: String, issues: [JourneyValidationIssue])
    /// Two files define the same id and version.
    case duplicate(id: String, version: Int, files: [String])

    /// A message naming the file(s) and what to fix.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
        case .invalid(let file, let issues):
            return "\(file): invalid journey:\n" + issues.map { "  \($0.path): \($0.message)" }.joined(separator: "\n")
        case .duplicate(let id, let version, let files):
            return "journey '\(id)' version \(version) is defined twice: \(files.joined(separator: ", "))"
        }
    }
}
