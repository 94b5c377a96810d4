/// What a handler did with one stream entry.
public enum EntryOutcome: Sendable, Hashable {
    /// Its effect is applied: acknowledge it.
    case done
    /// It failed in a way that may pass later: leave it pending so it is delivered again after
    /// the claim timeout, until the delivery limit sends it to the dead-letter stream.
    case retry(reason: String)
    /// It can never succeed: move it to the dead-letter stream now, with the reason.
    case deadLetter(reason: String)
}
