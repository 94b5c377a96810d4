/// A channel stream entry whose request cannot be read.
public enum SendRequestDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A required member is absent.
    case missing(String)
    /// A member has an unusable value.
    case invalid(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .missing(let key): return "send request lacks '\(key)'"
        case .invalid(let key): return "send request has an invalid '\(key)'"
        }
    }
}
