/// A Redis key name. A distinct type so a key can't be confused with a value in a command.
public struct RedisKey: Sendable, Hashable, RawRepresentable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The key's text.
    public var rawValue: String

    /// Wraps a key name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a key name.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Wraps a literal key name.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The key's text.
    public var description: String { rawValue }
}
