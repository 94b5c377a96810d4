import HeraldCore

/// Why the Tracking API refused a whole request. Each case is one response: status, a stable
/// `code` and a message in Segment's `{"success": false, "message": …}` shape; none says anything
/// about Herald's internals.
public enum SegmentAPIError: Error, Sendable, Equatable {
    /// `Content-Type` is not `application/json` (or `text/plain`, as `sendBeacon` sends).
    case unsupportedMediaType(String?)
    /// `Content-Encoding` is neither absent, `identity` nor `gzip`.
    case unsupportedEncoding(String)
    /// The body (or one message of a single-message endpoint) is larger than the limit.
    case tooLarge(limit: Int)
    /// `Content-Encoding: gzip` and the body is not gzip.
    case badGzip(String)
    /// The body is not JSON.
    case invalidJSON(String)
    /// The body is JSON but not an object.
    case notAnObject
    /// A batch body without a `batch` array.
    case batchNotAnArray
    /// No write key, or one that is not configured.
    case unauthorized(String)
    /// The write key sent more than its rate; retry after this many seconds.
    case rateLimited(retryAfter: Int)
    /// Herald could not store the request (Redis unreachable); nothing of it was accepted.
    case unavailable

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .unsupportedMediaType: return "unsupported_media_type"
        case .unsupportedEncoding: return "unsupported_encoding"
        case .tooLarge: return "too_large"
        case .badGzip: return "bad_gzip"
        case .invalidJSON: return "invalid_json"
        case .notAnObject: return "not_an_object"
        case .batchNotAnArray: return "batch_not_an_array"
        case .unauthorized: return "unauthorized"
        case .rateLimited: return "rate_limited"
        case .unavailable: return "unavailable"
        }
    }

    /// The HTTP status.
    public var status: Int {
        switch self {
        case .unsupportedMediaType, .unsupportedEncoding: return 415
        case .tooLarge, .badGzip, .invalidJSON, .notAnObject, .batchNotAnArray: return 400
        case .unauthorized: return 401
        case .rateLimited: return 429
        case .unavailable: return 503
        }
    }

    /// A sentence the producer can act on.
    public var message: String {
        switch self {
        case .unsupportedMediaType(let type): return "Content-Type must be application/json (got \(type ?? "none"))"
        case .unsupportedEncoding(let encoding): return "Content-Encoding \(encoding) is not supported; send gzip or none"
        case .tooLarge(let limit): return "payload is larger than \(limit) bytes"
        case .badGzip(let detail): return detail
        case .invalidJSON(let detail): return "invalid JSON: \(detail)"
        case .notAnObject: return "the body must be a JSON object"
        case .batchNotAnArray: return "the body needs a 'batch' array of messages"
        case .unauthorized(let reason): return reason
        case .rateLimited(let seconds): return "rate limit for this write key exceeded; retry in \(seconds)s"
        case .unavailable: return "temporarily unavailable; nothing was accepted, retry later"
        }
    }

    /// The response: the JSON body, plus `WWW-Authenticate` for 401 and `Retry-After` for 429 and 503.
    public var response: HTTPResponse {
        let body: JSONValue = ["success": false, "code": .string(code), "message": .string(message)]
        var response = HTTPResponse.json(status, body.serialized())
        switch self {
        case .unauthorized: response.headers.set("WWW-Authenticate", #"Basic realm="herald-edge", charset="UTF-8""#)
        case .rateLimited(let seconds): response.headers.set("Retry-After", String(seconds))
        case .unavailable: response.headers.set("Retry-After", "1")
        default: break
        }
        return response
    }
}
