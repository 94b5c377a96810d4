import HeraldCore

/// A send that cannot be carried out as configured.
public enum SenderError: Error, Sendable, CustomStringConvertible {
    /// The template lacks a part the channel needs (e.g. an email without a subject).
    case templateIncomplete(template: String, channel: Channel, missing: [String])

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .templateIncomplete(let template, let channel, let missing):
            return "template '\(template)' lacks \(missing.joined(separator: ", ")) for \(channel.rawValue)"
        }
    }
}
