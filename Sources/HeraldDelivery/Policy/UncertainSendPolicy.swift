/// What a sender does with a key whose claim's holder stopped (crashed, was killed) without
/// recording an outcome: the provider may or may not have accepted that message.
public enum UncertainSendPolicy: String, Sendable, Hashable, CaseIterable {
    /// Send again: at least once. A receiver that dedupes by the message's stable id
    /// (Message-ID, `webhook-id`, `apns-id`) drops the copy.
    case resend
    /// Record status `unknown` and send nothing until an operator replays it: at most once.
    case park
}
