/// What a handler did with one stream entry.
public enum EntryOutcome: Sendable, Hashable {
    /// Its effect is applied: acknowledge it.
    case done
    /// It failed in a way that may pass later: leave it pending so it is delivered again after
    /// the claim timeout, until the delivery limit sends it to the dead-letter stream.
    case retry(reason: String)
    /// It is waiting on something live elsewhere (another sender's claim on the same key): leave
    /// it pending, to be looked at again in about `retryAfterMilliseconds`, without counting this
    /// delivery toward the dead-letter limit.
    case wait(reason: String, retryAfterMilliseconds: Int)
    /// It can never succeed: move it to the dead-letter stream now, with the reason.
    case deadLetter(reason: String)
}
