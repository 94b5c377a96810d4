/// Why a JSON text could not be parsed, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset at which parsing failed.
    public var offset: Int
    /// What was wrong there.
    public var reason: String

    /// A one-line explanation.
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
