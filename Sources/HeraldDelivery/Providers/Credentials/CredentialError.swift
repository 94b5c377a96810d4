/// Why a credential could not be read from the environment. Never contains the credential itself.
public enum CredentialError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Neither `NAME` nor `NAME_FILE` is set.
    case missing(name: String)
    /// Both `NAME` and `NAME_FILE` are set, so which one wins would be a guess.
    case ambiguous(name: String)
    /// `NAME_FILE` names a file that could not be read.
    case unreadableFile(name: String, path: String, reason: String)
    /// The variable or file is empty.
    case empty(name: String)
    /// The value does not have the expected form; `reason` never quotes it.
    case malformed(name: String, reason: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .missing(let name): return "credential \(name) is not set (set \(name) or \(name)_FILE)"
        case .ambiguous(let name): return "both \(name) and \(name)_FILE are set; set only one"
        case .unreadableFile(let name, let path, let reason): return "cannot read \(name)_FILE at \(path): \(reason)"
        case .empty(let name): return "credential \(name) is empty"
        case .malformed(let name, let reason): return "credential \(name) is malformed: \(reason)"
        }
    }
}
