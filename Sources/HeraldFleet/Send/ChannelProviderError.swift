import HeraldCore

/// A provider setting that cannot be used.
public enum ChannelProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `variable` names a provider this channel does not have.
    case unknownProvider(variable: String, name: String, channel: Channel)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unknownProvider(let variable, let name, let channel):
            return "\(variable)='\(name)' is not a \(channel.rawValue) provider (outbox, sink\(channel == .email ? ", smtp" : "")\(channel == .sms ? ", twilio" : "")\(channel == .push ? ", fcm, apns" : "")\(channel == .webhook ? ", webhook" : "")\(channel == .inapp ? ", inbox" : ""))"
        }
    }
}
