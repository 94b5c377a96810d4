/// One HTTP request for `HTTPClient`.
public struct HTTPClientRequest: Sendable {
    /// The method, e.g. `GET` or `POST`.
    public var method: String
    /// The absolute URL.
    public var url: String
    /// Header fields in order; CR and LF are stripped from names and values when sent.
    public var headers: [(name: String, value: String)]
    /// The body; empty for none.
    public var body: [UInt8]
    /// The whole-transfer timeout in seconds.
    public var timeout: Double
    /// The HTTP version to ask for.
    public var version: HTTPVersion

    /// Creates a request.
    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeout: Double = 30, version: HTTPVersion = .automatic
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.version = version
    }

    /// Creates a request with a UTF-8 text body.
    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], text: String,
        timeout: Double = 30, version: HTTPVersion = .automatic
    ) {
        self.init(method: method, url: url, headers: headers, body: Array(text.utf8), timeout: timeout, version: version)
    }
}
