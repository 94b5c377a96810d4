/// Why a `herald:dead-letter` entry cannot be read as a `DeadLetter`.
public enum DeadLetterDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The entry names no stream to replay to.
    case missingStream(id: String)

    /// A sentence naming the entry.
    public var description: String {
        switch self {
        case .missingStream(let id): return "dead letter \(id) names no stream"
        }
    }
}
