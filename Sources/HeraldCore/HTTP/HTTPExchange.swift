/// One answered request as an `HTTPServer` observer sees it, after the response was queued: for
/// access logs and metrics (it holds no body, header values or query).
public struct HTTPExchange: Sendable {
    /// The request, body included (observers must not log secrets from it).
    public var request: HTTPRequest
    /// The status sent.
    public var status: Int
    /// The response body's length in bytes.
    public var responseBytes: Int
    /// From the request line's arrival to the response being queued.
    public var duration: Duration
    /// The server answered on its own (`413` for a body over the limit), without the responder.
    public var answeredByServer: Bool
}
