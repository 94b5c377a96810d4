import HeraldCore

/// One marketing send that takes a frequency-cap slot in its user's window on a channel
/// (`herald:{pN}:caps:<user>:<channel>`, member: the idempotency key).
public struct SenderCapSlot: Sendable, Hashable {
    /// The user's partition.
    public var partition: Int
    /// The user id.
    public var userId: String
    /// The channel whose caps apply.
    public var channel: Channel
    /// The request's category (only marketing is capped).
    public var category: MessageCategory
    /// The send's member in the window: its idempotency key, so a retry never takes a second slot.
    public var member: String

    /// Creates a slot request.
    public init(partition: Int, userId: String, channel: Channel, category: MessageCategory, member: String) {
        self.partition = partition
        self.userId = userId
        self.channel = channel
        self.category = category
        self.member = member
    }
}
