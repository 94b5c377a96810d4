/// Bytes that are not one `CompactJSON` document.
public enum CompactJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes end inside a value.
    case truncated(at: Int)
    /// A byte that cannot start or continue a value here.
    case invalid(at: Int, detail: String)
    /// Bytes left after the document.
    case trailingBytes(at: Int)

    /// A message naming the offset.
    public var description: String {
        switch self {
        case .truncated(let offset): return "compact JSON ends inside a value at byte \(offset)"
        case .invalid(let offset, let detail): return "compact JSON has \(detail) at byte \(offset)"
        case .trailingBytes(let offset): return "compact JSON has bytes left after the document at byte \(offset)"
        }
    }
}
