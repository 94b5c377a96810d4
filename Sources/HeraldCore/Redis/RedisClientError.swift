/// A failure on the client side: the connection, the socket or the protocol. The command may or
/// may not have run; callers retry at their own level.
public enum RedisClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Could not connect (or re-connect) to the server.
    case connectionFailed(address: String, reason: String)
    /// The socket failed or timed out during a command.
    case io(command: String, reason: String)
    /// The server's reply did not have the expected shape.
    case unexpectedReply(command: String, reply: String)
    /// The URL in `REDIS_URL` is not usable.
    case invalidURL(String, reason: String)
    /// The connection was closed by this process.
    case closed
    /// One command (or one MULTI … EXEC block) names keys of different cluster hash slots, which a
    /// Redis Cluster refuses; nothing was sent. The keys need a common `{hash tag}`.
    case crossSlot(command: String, slots: [Int])
    /// No node of the cluster could give a slot map that serves the command's slot.
    case clusterUnavailable(reason: String)
    /// The cluster kept redirecting (MOVED, ASK, TRYAGAIN, CLUSTERDOWN) past the client's bound.
    case tooManyRedirections(command: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .connectionFailed(let address, let reason): return "cannot connect to Redis at \(address): \(reason)"
        case .io(let command, let reason): return "Redis I/O error during \(command): \(reason)"
        case .unexpectedReply(let command, let reply): return "unexpected reply to \(command): \(reply)"
        case .invalidURL(let url, let reason): return "invalid Redis URL '\(url)': \(reason)"
        case .closed: return "Redis connection closed"
        case .crossSlot(let command, let slots):
            return "\(command) names keys in different cluster hash slots (\(slots.map(String.init).joined(separator: ", "))); give them one {hash tag}"
        case .clusterUnavailable(let reason): return "Redis Cluster unavailable: \(reason)"
        case .tooManyRedirections(let command): return "Redis Cluster kept redirecting \(command); giving up for now"
        }
    }
}
