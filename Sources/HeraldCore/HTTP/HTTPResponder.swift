/// Answers requests: what `HTTPServer` calls for each one, on a thread of its own (never on
/// Swift's cooperative pool, which the server does not block).
///
/// A responder never throws: every failure is a response (a 4xx for the client's mistakes, a 5xx
/// without internals for Herald's).
public protocol HTTPResponder: Sendable {
    /// The response to `request`.
    func respond(to request: HTTPRequest) async -> HTTPResponse
}
