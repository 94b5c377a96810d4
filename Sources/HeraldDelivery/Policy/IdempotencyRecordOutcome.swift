/// What recording a sent message found.
public enum IdempotencyRecordOutcome: Sendable, Hashable {
    /// Recorded over this consumer's own claim.
    case recorded
    /// Recorded, but the claim was no longer this consumer's (`previousValue`, empty when the key
    /// had vanished): another consumer may have sent the message as well.
    case recordedWithoutClaim(previousValue: String)
    /// Another consumer recorded first; its provider message id is kept.
    case alreadySent(providerMessageId: String)

    /// Reads `DeliveryScripts.idempotencyRecord`'s reply; `nil` when it is not one.
    public init?(reply: [String]) {
        guard reply.count == 2 else { return nil }
        switch reply[0] {
        case "recorded": self = .recorded
        case "recorded_without_claim": self = .recordedWithoutClaim(previousValue: reply[1])
        case "already_sent": self = .alreadySent(providerMessageId: reply[1])
        default: return nil
        }
    }
}
