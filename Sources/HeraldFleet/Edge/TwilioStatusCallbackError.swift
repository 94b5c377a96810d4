/// Why a signed Twilio status callback carries no feedback Herald can apply.
public enum TwilioStatusCallbackError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The callback URL lacks Herald's query parameter `name` (`u`, `k` or `c`): it was not a
    /// URL the SMS sender built for one message.
    case missingQueryParameter(String)
    /// The form lacks `field` (`MessageStatus`, `MessageSid`).
    case missingField(String)
    /// `c` is not a channel Herald knows.
    case unknownChannel(String)

    /// A short code for metrics labels.
    public var code: String {
        switch self {
        case .missingQueryParameter: "no_delivery"
        case .missingField: "malformed"
        case .unknownChannel: "malformed"
        }
    }

    /// What is wrong, for the response and the log.
    public var description: String {
        switch self {
        case .missingQueryParameter(let name): "the callback URL lacks Herald's '\(name)' parameter (the SMS sender adds u, k and c to each message's StatusCallback)"
        case .missingField(let field): "the callback lacks \(field)"
        case .unknownChannel(let text): "unknown channel '\(text)'"
        }
    }
}
