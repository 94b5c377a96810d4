import HeraldCore

/// A send that cannot be carried out as configured.
public enum SenderError: Error, Sendable, CustomStringConvertible {
    /// The template lacks a part the channel needs (e.g. an email without a subject).
    case templateIncomplete(template: String, channel: Channel, missing: [String])
    /// The sender has no usable one-click unsubscribe key (`HERALD_UNSUBSCRIBE_SECRET` or
    /// `HERALD_UNSUBSCRIBE_SECRET_FILE`); Herald has no built-in key, so the sender does not start.
    case unsubscribeKey(channel: Channel, reason: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .templateIncomplete(let template, let channel, let missing):
            return "template '\(template)' lacks \(missing.joined(separator: ", ")) for \(channel.rawValue)"
        case .unsubscribeKey(let channel, let reason):
            return "the \(channel.rawValue) sender signs one-click unsubscribe links and has no built-in key: \(reason)"
        }
    }
}
