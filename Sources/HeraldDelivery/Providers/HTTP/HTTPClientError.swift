/// Why `HTTPClient` got no HTTP response. URLs in these errors have their query and user info removed.
public enum HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request could not be made as given (bad URL, unsupported scheme, libcurl refused an option).
    case invalidRequest(url: String, reason: String)
    /// The transfer did not finish within the request's timeout.
    case timedOut(url: String, seconds: Double)
    /// The connection could not be opened or broke (DNS, refused, reset, TLS handshake, empty reply).
    case connectionFailed(url: String, reason: String)
    /// Any other libcurl failure, with its `CURLcode`.
    case transferFailed(url: String, code: Int, reason: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidRequest(let url, let reason): return "invalid request to \(url): \(reason)"
        case .timedOut(let url, let seconds): return "request to \(url) timed out after \(seconds)s"
        case .connectionFailed(let url, let reason): return "connection to \(url) failed: \(reason)"
        case .transferFailed(let url, let code, let reason): return "transfer to \(url) failed (curl \(code)): \(reason)"
        }
    }

    /// `url` without user info, query or fragment, safe to log.
    static func redact(_ url: String) -> String {
        var text = Substring(url)
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<cut] }
        if let schemeEnd = text.range(of: "://") {
            let rest = text[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                return String(text[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
            }
        }
        return String(text)
    }
}
