/// A credential (password, token, private key) that never prints itself.
///
/// `description`, `debugDescription` and reflection all show `<redacted>`, so a secret that ends up
/// in string interpolation, a log line or an error message does not leak.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    /// Wraps `value`.
    public init(_ value: String) {
        self.value = value
    }

    /// The secret itself; call only where it is handed to the peer that needs it.
    public func reveal() -> String { value }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }

    /// A mirror with no children, so `dump` shows nothing either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
