/// A stored suppression record that cannot be read.
public enum SuppressionRecordError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The document has no `entries` array.
    case notARecord
    /// Entry `index` has a missing or invalid `field`.
    case invalidEntry(index: Int, field: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notARecord: return "suppression record has no 'entries' array"
        case .invalidEntry(let index, let field): return "suppression entry \(index) has a missing or invalid '\(field)'"
        }
    }
}
