/// Why a gzip body could not be inflated.
public enum GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The inflated body would exceed `limit` bytes (inflating stopped there: a gzip bomb allocates no more).
    case tooLarge(limit: Int)
    /// The bytes are not a complete gzip stream (zlib's message, or what is missing).
    case corrupt(String)

    /// A sentence for the client.
    public var description: String {
        switch self {
        case .tooLarge(let limit): return "the body inflates to more than \(limit) bytes"
        case .corrupt(let detail): return "the body is not valid gzip: \(detail)"
        }
    }
}
