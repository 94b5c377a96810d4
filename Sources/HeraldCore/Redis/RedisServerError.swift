/// An error reply from the server (`ERR …`, `NOSCRIPT …`, `BUSYGROUP …`): the connection is fine.
public struct RedisServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The command that failed.
    public var command: String
    /// The server's message, starting with its error code.
    public var message: String

    /// Creates a server error.
    public init(command: String, message: String) {
        self.command = command
        self.message = message
    }

    /// The error code: the message's first word (`ERR`, `NOSCRIPT`, `BUSYGROUP` …).
    public var code: Substring { message.prefix { $0 != " " } }

    /// A one-line explanation.
    public var description: String { "Redis \(command) failed: \(message)" }
}
