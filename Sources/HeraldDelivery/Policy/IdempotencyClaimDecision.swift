import Foundation

/// What claiming an idempotency key found.
public enum IdempotencyClaimDecision: Sendable, Hashable {
    /// This consumer holds the key: call the provider.
    case claimed
    /// The key's holder stopped without recording an outcome and the policy is to resend: this
    /// consumer holds the key now. Call the provider, and log it: the previous holder may have.
    case takenOver(previousConsumer: String)
    /// The key's holder stopped without recording an outcome and the policy is at most once: the
    /// key is now parked as `unknown`. Record status `unknown`; do not call the provider.
    case parked(previousConsumer: String)
    /// Parked earlier: do not call the provider (an operator may replay it).
    case unknown(previousConsumer: String)
    /// The message was already sent: acknowledge the request without calling the provider.
    case alreadySent(providerMessageId: String)
    /// Another consumer holds a live claim: leave the request pending until `leaseExpiresAt`.
    case busy(holder: String, leaseExpiresAt: Date)
    /// The key holds a value in no known form: do not send (fail closed).
    case unreadable(value: String)

    /// Reads `idempotency-claim.lua`'s reply; `nil` when it is not one.
    public init?(reply: [String]) {
        guard reply.count == 3 else { return nil }
        switch reply[0] {
        case "claimed": self = .claimed
        case "taken_over": self = .takenOver(previousConsumer: reply[1])
        case "parked": self = .parked(previousConsumer: reply[1])
        case "unknown": self = .unknown(previousConsumer: reply[1])
        case "already_sent": self = .alreadySent(providerMessageId: reply[1])
        case "unreadable": self = .unreadable(value: reply[1])
        case "busy":
            guard let millis = Int64(reply[2]) else { return nil }
            self = .busy(holder: reply[1], leaseExpiresAt: Date(unixMilliseconds: millis))
        default: return nil
        }
    }
}
