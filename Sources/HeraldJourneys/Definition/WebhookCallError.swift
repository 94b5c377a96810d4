/// Why a webhook call's request could not be rendered; the call is not made.
public enum WebhookCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The send request carries no `context.call`.
    case notACall(key: String)
    /// A template of the call failed to render (its message names which).
    case template(String)
    /// The rendered URL is not an http(s) URL.
    case badURL(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notACall(let key): return "send request \(key) carries no webhook call"
        case .template(let reason): return "webhook call template: \(reason)"
        case .badURL(let url): return "the webhook call's URL '\(url)' is not an http(s) URL"
        }
    }
}
