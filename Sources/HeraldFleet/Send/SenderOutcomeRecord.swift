import Foundation
import HeraldCore
import HeraldDelivery

/// Everything one send request's outcome writes, decided by `SenderHandler` and written by a
/// `SenderStore` (`RedisSenderStore` pipelines a batch of them): the idempotency key's new value
/// or its release, a cap slot given back, the shared rate limit held back, a deferral or retry
/// through the scheduler, a bounce's feedback event, a dead letter, entries in the user's trail,
/// and the delivery record with its status counter.
public struct SenderOutcomeRecord: Sendable {
    /// What becomes of the idempotency key (`herald:{pN}:sent:<idempotencyKey>`).
    public enum KeyChange: Sendable, Hashable {
        /// Store this marker whatever the key holds (`SET … PX`): the provider accepted the message.
        case write(IdempotencyWrite)
        /// Give the claim back if `consumer` still holds it (`idempotency-release.lua`).
        case release(consumer: String)
    }

    /// A send put back through the scheduler (`herald:{pN}:timers`).
    public struct Scheduled: Sendable {
        /// The request as it comes back (its attempt, history or reserved rate-limit slot set).
        public var request: SendRequest
        /// When it is due.
        public var at: Date

        /// Creates a scheduled send.
        public init(request: SendRequest, at: Date) {
            self.request = request
            self.at = at
        }
    }

    /// One entry in the user's trail (`TrailRecord.outcome`): a code and the details after the key.
    public struct TrailNote: Sendable, Hashable {
        /// The outcome's code (`sent`, `suppressed`, `deferred`, `quietHoursHeld`, …).
        public var code: String
        /// The details after the send's key.
        public var details: [String]

        /// Creates a note.
        public init(code: String, details: [String]) {
            self.code = code
            self.details = details
        }
    }

    /// The record added to `herald:deliveries`, and the status counted in
    /// `herald:{pN}:delivery-stats` (`<channel>:<status>`).
    public struct Delivery: Sendable {
        /// The status; also the record's first field.
        public var status: DeliveryStatus
        /// The record's other fields, in order.
        public var fields: [(String, String)]

        /// Creates a delivery record.
        public init(status: DeliveryStatus, fields: [(String, String)]) {
            self.status = status
            self.fields = fields
        }
    }

    /// The request's user's partition.
    public var partition: Int
    /// The request the outcome is about.
    public var request: SendRequest
    /// When the outcome was decided (the trail entries' time).
    public var at: Date
    /// The idempotency key's change, if any.
    public var keyChange: KeyChange?
    /// Whether the request's cap slot (`herald:{pN}:caps:<user>:<channel>`) is given back.
    public var releasesCapSlot = false
    /// The shared rate limit held back for the provider's `Retry-After`, if it asked.
    public var rateLimitPenalty: (rateLimit: ChannelRateLimit, retryAfter: TimeInterval)?
    /// The deferral or retry, if any.
    public var scheduled: Scheduled?
    /// Herald's own feedback event for an address the provider refused (a hard bounce).
    public var feedback: Event?
    /// The request as a dead letter of its outbox, if it is given up.
    public var deadLetter: DeadLetter?
    /// Entries added to the user's trail, in order.
    public var trail: [TrailNote] = []
    /// The delivery record; `nil` when the outcome records none.
    public var delivery: Delivery?

    /// Creates a record that writes nothing yet.
    public init(partition: Int, request: SendRequest, at: Date) {
        self.partition = partition
        self.request = request
        self.at = at
    }
}
