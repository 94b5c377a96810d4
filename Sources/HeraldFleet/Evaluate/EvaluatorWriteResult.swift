/// What one `EvaluatorWrite` did.
public enum EvaluatorWriteResult: Sendable, Hashable {
    /// Written now (`OK`).
    case applied
    /// An erasure written now, with how many keys or entries of each family it erased.
    case erased([String: Int])
    /// Nothing written, by the write's own rule: the input was applied before (`SKIP`), a
    /// handover was taken already (`ALREADY`), an inactive user was active again (`ACTIVE`).
    case skipped(String)
    /// Refused, nothing written (`FENCED`: the partition lease moved; or another error); the message.
    case failed(String)
    /// The write had nothing to write, so nothing was sent (and the input is not recorded as applied).
    case nothingToWrite
    /// A reply the store does not know; nothing is assumed written.
    case unrecognized(String)
}
