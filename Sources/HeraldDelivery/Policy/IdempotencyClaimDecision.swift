import Foundation

/// What claiming an idempotency key found.
public enum IdempotencyClaimDecision: Sendable, Hashable {
    /// This consumer holds the key: call the provider.
    case claimed
    /// This consumer took the key over from one whose lease had expired: call the provider, and
    /// log it, because the previous consumer may have called it too.
    case takenOver(previousConsumer: String)
    /// The message was already sent: acknowledge the request without calling the provider.
    case alreadySent(providerMessageId: String)
    /// Another consumer holds a live lease: leave the request for it (or look again at `leaseExpiresAt`).
    case busy(holder: String, leaseExpiresAt: Date)

    /// Whether the caller may call the provider.
    public var mayDeliver: Bool {
        switch self {
        case .claimed, .takenOver: return true
        case .alreadySent, .busy: return false
        }
    }

    /// Reads `DeliveryScripts.idempotencyClaim`'s reply; `nil` when it is not one.
    public init?(reply: [String]) {
        guard reply.count == 3 else { return nil }
        switch reply[0] {
        case "claimed": self = .claimed
        case "taken_over": self = .takenOver(previousConsumer: reply[1])
        case "already_sent": self = .alreadySent(providerMessageId: reply[1])
        case "busy":
            guard let millis = Int64(reply[2]) else { return nil }
            self = .busy(holder: reply[1], leaseExpiresAt: Date(timeIntervalSince1970: Double(millis) / 1000))
        default: return nil
        }
    }
}
