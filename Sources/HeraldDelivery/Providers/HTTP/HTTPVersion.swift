import CCurl

/// Which HTTP version a request asks libcurl for.
public enum HTTPVersion: Sendable, Hashable {
    /// Whatever libcurl negotiates (HTTP/1.1 for `http://`, HTTP/2 via ALPN where offered for `https://`).
    case automatic
    /// HTTP/1.1 only.
    case http1_1
    /// HTTP/2 over TLS (ALPN), as APNs requires.
    case http2TLS
    /// HTTP/2 without TLS and without upgrade (h2c prior knowledge), for local test peers.
    case http2PriorKnowledge

    var curlValue: Int {
        switch self {
        case .automatic: return CURL_HTTP_VERSION_NONE
        case .http1_1: return CURL_HTTP_VERSION_1_1
        case .http2TLS: return CURL_HTTP_VERSION_2TLS
        case .http2PriorKnowledge: return CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
        }
    }
}
