/// One HTTP request as a responder sees it: the whole body already read (within the server's
/// limits), the path without its query, the query parameters decoded in the order sent.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, …, as sent.
    public var method: String
    /// The path without the query string, percent-decoded as the server received it (`/v1/batch`).
    public var path: String
    /// The query parameters, decoded, in the order sent.
    public var query: [(name: String, value: String)]
    /// The header fields.
    public var headers: HTTPHeaders
    /// The request body (empty for none).
    public var body: [UInt8]
    /// The peer's address (`127.0.0.1`), for logs and per-client limits.
    public var remoteAddress: String
    /// The request target exactly as sent on the request line (`/callbacks/twilio?u=a%20b`), for
    /// signatures computed over the URL the client called.
    public var target: String

    /// Creates a request (the server builds these; tests build them to call responders directly).
    public init(
        method: String, path: String, query: [(name: String, value: String)] = [], headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], remoteAddress: String = "127.0.0.1", target: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.target = target ?? Self.target(path: path, query: query)
    }

    /// A target for a request built in code: the path and the query, percent-encoded.
    static func target(path: String, query: [(name: String, value: String)]) -> String {
        query.isEmpty ? path : path + "?" + HTTPFormEncoding.encode(query)
    }

    /// The first value of query parameter `name`.
    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }

    /// The media type of `Content-Type`, lowercased and without parameters (`application/json`).
    public var mediaType: String? {
        headers["Content-Type"].map { String($0.split(separator: ";", maxSplits: 1).first ?? "").trimmingSpaces().lowercased() }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
