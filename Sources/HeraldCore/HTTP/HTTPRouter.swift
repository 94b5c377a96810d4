/// Dispatches requests by method and exact path (or path prefix) to responders; `404` for an
/// unknown path, `405` with `Allow` for a known path and another method.
public struct HTTPRouter: HTTPResponder {
    /// One route's handler.
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse

    private struct Route: Sendable {
        var method: String
        var path: String
        var isPrefix: Bool
        /// A short stable name for metrics and logs (`segment.batch`), never the raw path.
        var name: String
        var handler: Handler
    }

    private var routes: [Route] = []

    /// An empty router.
    public init() {}

    /// Adds a route for `method` on exactly `path`, named `name` in metrics and logs.
    public mutating func add(_ method: String, _ path: String, name: String, _ handler: @escaping Handler) {
        routes.append(Route(method: method, path: path, isPrefix: false, name: name, handler: handler))
    }

    /// Adds a route for `method` on every path that starts with `prefix` (`/u/` for `/u/<token>`).
    public mutating func add(_ method: String, prefix: String, name: String, _ handler: @escaping Handler) {
        routes.append(Route(method: method, path: prefix, isPrefix: true, name: name, handler: handler))
    }

    /// Every route of `other`, after this router's.
    public mutating func include(_ other: HTTPRouter) {
        routes += other.routes
    }

    /// The name of the route `request` goes to, or of its path's route when the method is not
    /// allowed there (`unknown` for a path no route serves), for metrics labels.
    public func routeName(for request: HTTPRequest) -> String {
        let candidates = matching(request.path)
        let route = candidates.first { $0.method == request.method || (request.method == "HEAD" && $0.method == "GET") } ?? candidates.first
        return route?.name ?? "unknown"
    }

    /// Answers with the matching route's handler.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let candidates = matching(request.path)
        guard !candidates.isEmpty else { return .text(404, "not found\n") }
        if let route = candidates.first(where: { $0.method == request.method }) {
            return await route.handler(request)
        }
        if request.method == "HEAD", let route = candidates.first(where: { $0.method == "GET" }) {
            var response = await route.handler(request)
            response.body = []
            return response
        }
        var response = HTTPResponse.text(405, "method \(request.method) not allowed here\n")
        var allowed = Array(Set(candidates.map(\.method))).sorted()
        if allowed.contains("GET") { allowed.append("HEAD") }
        response.headers.set("Allow", allowed.joined(separator: ", "))
        return response
    }

    private func matching(_ path: String) -> [Route] {
        let exact = routes.filter { !$0.isPrefix && $0.path == path }
        return exact.isEmpty ? routes.filter { $0.isPrefix && path.hasPrefix($0.path) && path.count > $0.path.count } : exact
    }
}
