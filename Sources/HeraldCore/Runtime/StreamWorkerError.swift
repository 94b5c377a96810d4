/// Why a worker left a batch pending.
public enum StreamWorkerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A batch's writes reached `confirmed` replicas of a master within the timeout, fewer than
    /// `HERALD_REPLICA_ACKS` requires; the batch is handled again later.
    case tooFewReplicas(confirmed: Int, required: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .tooFewReplicas(let confirmed, let required):
            return "the batch's writes reached \(confirmed) of the \(required) replicas HERALD_REPLICA_ACKS requires; it stays pending"
        }
    }
}
