/// A timer payload that cannot be read back as a `DeferredSend`.
public enum DeferredSendDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The payload does not start with `send:<channel>\n`: it is a journey timer's.
    case notADeferredSend
    /// The channel named after `send:` is not one Herald knows.
    case unknownChannel(String)
    /// The request JSON after the first line cannot be read.
    case unreadableRequest(String)
    /// The first line names one channel and the request another.
    case channelMismatch(payload: Channel, request: Channel)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notADeferredSend: "the timer payload is not a deferred send (no send:<channel> line)"
        case .unknownChannel(let name): "the deferred send names an unknown channel '\(name)'"
        case .unreadableRequest(let reason): "the deferred send's request cannot be read: \(reason)"
        case .channelMismatch(let payload, let request): "the deferred send is filed under \(payload.rawValue) but asks for \(request.rawValue)"
        }
    }
}
