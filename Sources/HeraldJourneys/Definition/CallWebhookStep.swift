import HeraldCore

/// Calls an HTTP endpoint with the step's own request: a URL, method, headers and a JSON body,
/// each a template over the step context, rendered by the webhook sender when it calls.
///
/// The call is a send request on the webhook channel (`SendRequest.context["call"]`), so it has the
/// sender's idempotency (one call per key, `webhook-id` is the key), signature, retries and delivery record.
public struct CallWebhookStep: Sendable, Hashable, Codable {
    /// The URL, a template (`https://crm.example/users/{{userId}}`).
    public var url: String
    /// `POST` (default), `PUT`, `PATCH` or `DELETE`.
    public var method: String?
    /// Extra request headers, values as templates; the signature and content headers are the sender's.
    public var headers: [String: String]?
    /// The JSON body, its strings templates (`JSONTemplate`); `{"userId", "journey", "step"}` when absent.
    public var body: StoredJSON?
    /// Transactional (default: a call is not a marketing message) or marketing.
    public var category: MessageCategory?

    /// Creates a webhook call.
    public init(url: String, method: String? = nil, headers: [String: String]? = nil, body: StoredJSON? = nil, category: MessageCategory? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.category = category
    }

    /// The methods a call may use.
    public static let methods = ["POST", "PUT", "PATCH", "DELETE"]
    /// Headers the sender sets itself, which a step may not set (compared lowercased).
    public static let reservedHeaders: Set<String> = [
        "content-type", "content-length", "host", "user-agent", "webhook-id", "webhook-timestamp", "webhook-signature",
        "transfer-encoding", "connection",
    ]
    /// The template name of a call's send request: its template is inline, in `context.call`.
    public static let templateName = "$call"

    /// The method, upper-cased, `POST` when absent.
    public var resolvedMethod: String { (method ?? "POST").uppercased() }
    /// The category, transactional when absent.
    public var resolvedCategory: MessageCategory { category ?? .transactional }

    /// The call as the JSON object a send request carries in `context.call`.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["url": .string(url), "method": .string(resolvedMethod)]
        if let headers { members["headers"] = .object(headers.mapValues { .string($0) }) }
        if let body { members["body"] = body.value }
        return .object(members)
    }

    /// A call read back from `context.call`; `nil` when it has no URL.
    public init?(json: JSONValue) {
        guard let url = json["url"]?.stringValue else { return nil }
        self.init(
            url: url, method: json["method"]?.stringValue,
            headers: json["headers"]?.objectValue?.compactMapValues(\.stringValue), body: json["body"].map(StoredJSON.init))
    }
}
