/// A Tracking API setting that cannot be used; the edge refuses to start with it.
public enum SegmentAPIConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither `HERALD_EDGE_WRITE_KEYS` nor `HERALD_EDGE_WRITE_KEYS_FILE` gives a key.
    case noWriteKeys
    /// Both are set: which one is meant is unclear.
    case bothKeySources
    /// The key file cannot be read (the path, and the system's reason).
    case unreadableKeyFile(path: String, reason: String)
    /// A numeric variable holds something else.
    case invalid(variable: String, value: String, expected: String)

    /// A one-line explanation (never a key).
    public var description: String {
        switch self {
        case .noWriteKeys:
            return "the Segment Tracking API needs write keys: set HERALD_EDGE_WRITE_KEYS (comma-separated) or HERALD_EDGE_WRITE_KEYS_FILE (one per line)"
        case .bothKeySources: return "set only one of HERALD_EDGE_WRITE_KEYS and HERALD_EDGE_WRITE_KEYS_FILE"
        case .unreadableKeyFile(let path, let reason): return "HERALD_EDGE_WRITE_KEYS_FILE=\(path) cannot be read: \(reason)"
        case .invalid(let variable, let value, let expected): return "\(variable)=\(value) is invalid: expected \(expected)"
        }
    }
}
